"""WTForms for the codebook, coding answers, bulk coding and saved searches (all CSRF-checked)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from collector.coding.hierarchy import DEFINITION_MAX
from collector.coding.names import DESCRIPTION_MAX, NAME_MAX
from collector.coding.saved import NAME_MAX as SAVED_NAME_MAX


class CodeForm(FlaskForm):
    """A code's name and description (create or edit)."""

    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_MAX)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    definition = TextAreaField("Use when (definition)", validators=[Optional(), Length(max=DEFINITION_MAX)])
    exclusion = TextAreaField("Not when (exclusion)", validators=[Optional(), Length(max=DEFINITION_MAX)])


class AnswerCodeForm(FlaskForm):
    """Add a code to one answer, or remove one."""

    add = SelectField("Add a code", validate_choice=False)
    remove = HiddenField()


class ApplyForm(FlaskForm):
    """Bulk coding: which code for every answer matching the search; confirm after seeing the count."""

    code = SelectField("Code", validators=[Optional()], validate_choice=False)
    new_code = StringField("Or a new code", validators=[Optional(), Length(max=NAME_MAX)])
    confirm = HiddenField()


class SaveSearchForm(FlaskForm):
    """Save the current search under a name, optionally coding new matching answers."""

    name = StringField("Name", validators=[DataRequired(), Length(max=SAVED_NAME_MAX)])
    code = SelectField("Code new matching answers with", validate_choice=False)
