"""Forms that validate with the domain's own messages and keep unsaved drafts."""

from garant.tui.widgets.forms.form import FieldSpec, FormScreen

__all__ = ["FieldSpec", "FormScreen"]
