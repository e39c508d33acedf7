"""Forms for writing bulletins; the rules themselves live in bulletins/validation.py and attachments.py."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bulletins.attachments import ACCEPT_ATTR, ALLOWED_LABEL, MAX_ATTACHMENTS, check_uploads
from bulletins.models import Category
from bulletins.validation import (
    BODY_GUIDANCE_LENGTH,
    BODY_MAX_LENGTH,
    CONTACT_NAME_MAX_LENGTH,
    CONTACT_PHONE_MAX_LENGTH,
    EARLIEST_DATE,
    PLACE_MAX_LENGTH,
    REQUIRED_FIELDS,
    SOURCE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    bulletin_field_errors,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (https://docs.djangoproject.com/en/5.2/topics/http/file-uploads/)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class BulletinForm(forms.Form):
    """Create or edit a bulletin. Fields are checked by the same rules the service applies."""

    # Required-ness and lengths are checked by bulletin_field_errors (one set of messages);
    # the widgets' attributes only help the browser.
    title = forms.CharField(
        label=_("title"), required=False, widget=forms.TextInput(attrs={"maxlength": TITLE_MAX_LENGTH})
    )
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.all(), required=False)
    occurred_at = forms.DateTimeField(
        label=_("occurred at"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "min": f"{EARLIEST_DATE:%Y-%m-%d}T00:00"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("Required for incident reports: the 24-hour deadline counts from this time."),
    )
    place = forms.CharField(
        label=_("place"), required=False, widget=forms.TextInput(attrs={"maxlength": PLACE_MAX_LENGTH})
    )
    body = forms.CharField(
        label=_("body"),
        required=False,
        strip=False,  # keep the full-width spaces that indent Chinese paragraphs
        widget=forms.Textarea(
            attrs={
                "rows": 14,
                "data-char-count": "true",
                "data-max": BODY_MAX_LENGTH,
                "data-guidance": BODY_GUIDANCE_LENGTH,
            }
        ),
    )
    source = forms.CharField(
        label=_("source and verification"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(
            _(
                "Where the information comes from and how its time, place, people and numbers were verified "
                "(at most {max} characters)."
            ),
            max=SOURCE_MAX_LENGTH,
        ),
    )
    contact_name = forms.CharField(
        label=_("contact person"), required=False, widget=forms.TextInput(attrs={"maxlength": CONTACT_NAME_MAX_LENGTH})
    )
    contact_phone = forms.CharField(
        label=_("contact phone"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "maxlength": CONTACT_PHONE_MAX_LENGTH,
                "inputmode": "tel",
                "placeholder": "13812345678 / 0571-87654321",
            }
        ),
    )
    files = MultipleFileField(
        label=_("attachments"),
        required=False,
        help_text=_("Up to %(max)d files of at most 10 MB each: %(types)s.")
        % {"max": MAX_ATTACHMENTS, "types": ALLOWED_LABEL},
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELD_NAMES = ("title", "body", "category", "occurred_at", "place", "source", "contact_name", "contact_phone")

    def __init__(self, *args, existing_attachments: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_attachments = existing_attachments
        # The fields the service requires are required here too, with the service's own message
        # (so a blank one gets one message, the same either way): crispy marks their labels with
        # a red * (.asteriskField, static/css/site.css) and the browser asks for them first.
        for name, message in REQUIRED_FIELDS.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "title",
            Div(
                Div("category", css_class="col-md-4"),
                Div("occurred_at", css_class="col-md-4"),
                Div("place", css_class="col-md-4"),
                css_class="row",
            ),
            Field("body"),
            "source",
            Div(
                Div("contact_name", css_class="col-md-6"),
                Div("contact_phone", css_class="col-md-6"),
                css_class="row",
            ),
            "files",
            "edit_version",
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("body", "source"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].replace("\r\n", "\n")  # as the service stores them
        fields = {name: cleaned.get(name) for name in self.FIELD_NAMES if name not in self.errors}
        for name, messages in bulletin_field_errors(fields).items():
            if name not in self.errors:
                for message in messages:
                    self.add_error(name, message)
        try:
            check_uploads(cleaned.get("files") or [], existing_count=self.existing_attachments)
        except ValidationError as error:
            self.add_error("files", error)
        return cleaned

    def bulletin_fields(self) -> dict:
        """The validated fields, as keyword arguments for bulletin_create / bulletin_update."""
        return {name: self.cleaned_data[name] for name in self.FIELD_NAMES}
