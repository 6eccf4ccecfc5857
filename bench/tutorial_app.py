"""The tutorial's design, for comparison only: each answer is one synchronous signed request
to the domain (no journal, no shipper). Same app, settings and form otherwise."""
from flask import current_app, redirect, request, url_for

import es_client
from collector import create_app
from collector.accounts.roles import public
from collector.common.extensions import csrf
from collector.respondent import answering, spam, views
from collector.respondent.forms import answers_of, form_class
from collector.surveys import catalog


@public  # a respondent's form, as ours (an undeclared view would ask for a sign-in)
def synchronous_form():
    """Validate, then PUT the document to the domain and wait for it before answering."""
    survey = next(iter(catalog().surveys.values()))
    form = form_class(survey)()
    if not form.validate_on_submit():
        return views.render_form(survey, form, 400 if request.method == "POST" else 200)
    answers, email = answers_of(form, survey), form.email.data
    verdict = spam.assess(form, answering.search_text(survey, answers), email, request.remote_addr)
    doc = answering.build_response(survey, answers, email, verdict)
    client = es_client.get_client(current_app)
    client.index(index=current_app.config["SEARCH_INDEX"], id=doc.meta.id, body=doc.to_dict())
    return redirect(url_for("receipts.thanks", receipt=doc.receipt), 303)


app = create_app({"SHIPPER_AUTOSTART": False})
app.view_functions["survey.form"] = csrf.exempt(synchronous_form)  # the form checks its token itself, as ours
