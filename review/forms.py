"""The decision form (its choices are exactly permissions.decision_actions) and the
leader's-instruction form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletins.validation import COMMENT_MAX_LENGTH, EARLIEST_DATE, LEADER_MAX_LENGTH, date_in_range, date_range_message
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


# The fields that belong to one decision or a few; the others belong to all. The page shows only the
# chosen decision's fields (static/js/site.js, data-shown-for) and the form ignores what the others
# hold, so that a value left in a hidden field (or, without JavaScript, in a visible one) never
# blocks or changes another decision. The service takes a comment only with a return or a decline.
FIELDS_FOR = {
    "kind": (ReviewAction.ADOPT, ReviewAction.ADOPT_FORWARD),
    "return_reason": (ReviewAction.RETURN,),
    "decline_reason": (ReviewAction.DECLINE,),
    "comment": (ReviewAction.RETURN, ReviewAction.DECLINE),
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
        max_length=COMMENT_MAX_LENGTH,
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
        self.helper.disable_csrf = True  # the page's <form> carries the token (review/decide.html)
        self.helper.layout = Layout(*[self._layout_item(name) for name in self.fields])
        self.helper.add_input(Submit("submit", _("Record the decision"), css_class="btn-danger"))

    @classmethod
    def read_only_copy(cls, data) -> "DecisionForm":
        """What a reviewer posted, for showing it back when it was not recorded: the chosen
        decision and its fields, unchangeable, the comment still selectable (readonly, not disabled)."""
        action = data.get("action", "")
        actions = [ReviewAction(action)] if action in ACTION_VERBS else []
        form = cls(data, actions=actions, auto_id="entered_%s")
        for name, field in form.fields.items():
            field.widget.attrs["readonly" if name == "comment" else "disabled"] = True
        if "comment" in form.fields:
            form.fields["comment"].widget.attrs["class"] = "bg-body-secondary"  # looks as fixed as the rest
        form.helper.inputs = []
        form.helper.disable_csrf = True  # shown, never sent
        return form

    @staticmethod
    def initial_from(data) -> dict:
        """The posted values as a new form's initial values (what was typed, to take up again)."""
        return {name: data.get(name, "") for name in ("action", *FIELDS_FOR)}

    def _layout_item(self, name: str):
        wrapper = "required-with-decision" if name in _REQUIRED_WITH else None
        if name not in FIELDS_FOR:
            return Field(name, wrapper_class=wrapper)
        shown_for = " ".join(a.value for a in FIELDS_FOR[name] if a in self.actions)
        return Div(
            Field(name, wrapper_class=wrapper),
            data_shown_by="action",
            data_shown_for=shown_for,
            data_testid=f"field-{name}",
        )

    def ignored_fields(self) -> list[str]:
        """The fields that do not belong to the decision posted (none before a decision is chosen)."""
        action = self.data.get("action") if self.is_bound else None
        if action not in {a.value for a in self.actions}:
            return []
        return [name for name, actions in FIELDS_FOR.items() if name in self.fields and action not in actions]

    def full_clean(self):
        # A disabled field takes its initial value instead of the posted one, so another decision's
        # field is neither validated nor used; it is enabled again to re-render what was posted.
        ignored = self.ignored_fields()
        for name in ignored:
            self.fields[name].disabled = True
        try:
            super().full_clean()
        finally:
            for name in ignored:
                self.fields[name].disabled = False

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
        return {
            "action": action,
            "kind": data.get("kind") or "",
            "reason": reason or "",
            "comment": data.get("comment") or "",
        }


class InstructionForm(forms.Form):
    leader = forms.CharField(
        label=_("Leader"), max_length=LEADER_MAX_LENGTH, help_text=_("e.g. 王书记 (the leader who wrote it)")
    )
    text = forms.CharField(
        label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 4}), max_length=COMMENT_MAX_LENGTH
    )
    instructed_on = forms.DateField(
        label=_("Date of instruction"),
        widget=forms.DateInput(attrs={"type": "date", "min": f"{EARLIEST_DATE:%Y-%m-%d}"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the instruction"), css_class="btn-danger"))

    def clean_instructed_on(self):
        value = self.cleaned_data["instructed_on"]
        if not date_in_range(value):
            raise forms.ValidationError(date_range_message())
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
