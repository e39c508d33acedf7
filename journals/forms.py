"""The compiler's forms: bounded like the columns (the services and CheckConstraints hold the same limits)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from journals.models import (
    ISSUE_TITLE_MAX_LENGTH,
    ITEM_BODY_MAX_LENGTH,
    ITEM_TITLE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    ItemKind,
)
from journals.services import ItemText

SEARCH_MAX_LENGTH = 50


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the page's own <form> carries the CSRF token and the buttons
    return helper


class IssueForm(forms.Form):
    title = forms.CharField(
        label=_("Theme"),
        max_length=ISSUE_TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Optional, printed under the masthead (e.g. 基层党建专题)."),
    )
    editors_note = forms.CharField(
        label=_("Editor's note for the issue (编者按)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signer = forms.ModelChoiceField(label=_("Signer (签发人)"), queryset=User.objects.none(), required=False)
    reason = forms.CharField(label=_("Why (for the history)"), max_length=REASON_MAX_LENGTH, required=False)

    def __init__(self, *args, unit_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = User.objects.filter(unit_id=unit_id, is_office_head=True, is_active=True)
        self.fields["signer"].empty_label = _("Any office head of the unit")
        self.helper = _helper()


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Treatment"),
        choices=[(ItemKind.FULL, ItemKind.FULL.label), (ItemKind.ABRIDGED, ItemKind.ABRIDGED.label)],
    )
    section = forms.CharField(
        label=_("Section heading"), max_length=SECTION_MAX_LENGTH, required=False, help_text=_("e.g. 【工作动态】")
    )
    title = forms.CharField(label=_("Title"), max_length=ITEM_TITLE_MAX_LENGTH)
    body = forms.CharField(label=_("Text"), max_length=ITEM_BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 14}))
    editors_note = forms.CharField(
        label=_("Editor's note (编者按)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(label=_("Why (for the history)"), max_length=REASON_MAX_LENGTH, required=False)

    def __init__(self, *args, fixed_kind: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_kind:
            del self.fields["kind"]
        self.helper = _helper()

    def text(self) -> ItemText:
        data = self.cleaned_data
        return ItemText(
            title=data["title"], body=data["body"], editors_note=data["editors_note"], section=data["section"]
        )


class CorrectionForm(forms.Form):
    corrects = forms.ModelChoiceField(label=_("Issue corrected"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=ITEM_TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Correction"), max_length=ITEM_BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].queryset = issues
        self.fields["corrects"].label_from_instance = lambda issue: issue.number_label
        self.helper = _helper()

    def text(self) -> ItemText:
        return ItemText(title=self.cleaned_data["title"], body=self.cleaned_data["body"])


PICK_CHOICES = [
    (ItemKind.FULL, _("Full text, one item each")),
    (ItemKind.ABRIDGED, _("Abridged, one item each (edit the text afterwards)")),
    (ItemKind.COMBINED, _("One combined item (综合) from all of them")),
]


class PickForm(forms.Form):
    adoptions = forms.TypedMultipleChoiceField(label=_("Adopted bulletins"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Print as"), choices=PICK_CHOICES, widget=forms.RadioSelect, initial=ItemKind.FULL)

    def __init__(self, *args, adoption_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adoptions"].choices = [(pk, pk) for pk in adoption_ids]
        self.fields["adoptions"].error_messages["required"] = _("Choose at least one adopted bulletin.")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=SEARCH_MAX_LENGTH, required=False)


class SignOffForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the whole issue; sign it off. It is then numbered and can no longer be changed.")
    )
    comment = forms.CharField(label=_("Comment (for the history)"), max_length=REASON_MAX_LENGTH, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why (for the history)"), max_length=REASON_MAX_LENGTH, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DiscardForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the draft deleted? (for the history)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(_("Required, at most {max} characters."), max=REASON_MAX_LENGTH),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Say why the draft is deleted.")
        self.helper = _helper()
