"""The decision form (its choices are exactly permissions.decision_actions) and the
leader's-instruction form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.models import AdoptionKind, DeclineReason, ReturnReason, ReviewAction

# What the buttons say (ReviewAction's own labels describe the history, in the past tense).
ACTION_VERBS = {
    ReviewAction.SIGN_OFF: _("Sign off and send to the parent unit"),
    ReviewAction.ADOPT: _("Adopt"),
    ReviewAction.ADOPT_FORWARD: _("Adopt and forward to the parent unit"),
    ReviewAction.FORWARD: _("Forward to the parent unit"),
    ReviewAction.RETURN: _("Return for revision"),
    ReviewAction.DECLINE: _("Decline"),
}


def _with_blank(choices):
    return [("", _("Choose…")), *choices]


# Required whenever their decision is chosen (clean() below), so not `required` alone: the label
# gets the same red * as the always-required fields (static/css/site.css).
_REQUIRED_WITH = {"kind", "return_reason", "decline_reason"}


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Adoption kind"), choices=_with_blank(AdoptionKind.choices), required=False)
    return_reason = forms.ChoiceField(
        label=_("Reason for returning"), choices=_with_blank(ReturnReason.choices), required=False
    )
    decline_reason = forms.ChoiceField(
        label=_("Reason for declining"), choices=_with_blank(DeclineReason.choices), required=False
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Required when returning: say what must be revised."),
    )
    # The queue entry the reviewer looked at: if it was decided meanwhile, say by whom.
    entry = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        self.fields["action"].choices = [(a.value, ACTION_VERBS[a]) for a in self.actions]
        if not {ReviewAction.ADOPT, ReviewAction.ADOPT_FORWARD} & set(self.actions):
            del self.fields["kind"]
        if ReviewAction.RETURN not in self.actions:
            del self.fields["return_reason"]
        if ReviewAction.DECLINE not in self.actions:
            del self.fields["decline_reason"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[
                Field(name, wrapper_class="required-with-decision" if name in _REQUIRED_WITH else None)
                for name in self.fields
            ]
        )
        self.helper.add_input(Submit("submit", _("Record the decision"), css_class="btn-danger"))

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in (ReviewAction.ADOPT, ReviewAction.ADOPT_FORWARD) and not data.get("kind"):
            self.add_error("kind", _("Choose how the bulletin is adopted."))
        if action == ReviewAction.RETURN:
            if not data.get("return_reason"):
                self.add_error("return_reason", _("Choose the reason for returning the bulletin."))
            if not (data.get("comment") or "").strip():
                self.add_error(
                    "comment", _("Say what must be revised: a comment is required when returning a bulletin.")
                )
        if action == ReviewAction.DECLINE and not data.get("decline_reason"):
            self.add_error("decline_reason", _("Choose the reason for declining the bulletin."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        action = data["action"]
        reason = data.get("return_reason") if action == ReviewAction.RETURN else data.get("decline_reason")
        return {"action": action, "kind": data.get("kind") or "", "reason": reason or "", "comment": data["comment"]}


class InstructionForm(forms.Form):
    leader = forms.CharField(label=_("Leader"), max_length=50, help_text=_("e.g. 王书记 (the leader who wrote it)"))
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    instructed_on = forms.DateField(label=_("Date of instruction"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the instruction"), css_class="btn-danger"))

    def clean_instructed_on(self):
        value = self.cleaned_data["instructed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
