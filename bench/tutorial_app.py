"""The tutorial's design, for comparison only: each answer is one synchronous signed request
to the domain (no journal, no shipper). Same app, settings and form otherwise."""
from flask import current_app, redirect, request, url_for

import es_client
from collector import create_app, respondent, spam
from collector.extensions import csrf
from collector.forms import SurveyForm


def synchronous_form():
    """Validate, then PUT the document to the domain and wait for it before answering."""
    form = SurveyForm()
    if not form.validate_on_submit():
        return respondent.render_form(form, 400 if request.method == "POST" else 200)
    doc = respondent.build_response(form, spam.assess(form, request.remote_addr))
    client = es_client.get_client(current_app)
    client.index(index=current_app.config["SEARCH_INDEX"], id=doc.meta.id, body=doc.to_dict())
    return redirect(url_for("survey.thanks", receipt=doc.receipt), 303)


app = create_app({"SHIPPER_AUTOSTART": False})
app.view_functions["survey.form"] = csrf.exempt(synchronous_form)  # the form checks its token itself, as ours
