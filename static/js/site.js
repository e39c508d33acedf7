// Behaviour the templates ask for through data attributes, so that no page carries an inline
// handler: data-autosubmit on a field submits its form on change; data-confirm on a form asks first.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
});

document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
});

// data-shown-by="NAME" data-shown-for="a b" on an element: shown only while the form's field NAME
// (a radio group or a select) holds one of the listed values, hidden otherwise and before any
// choice (the decision form: 采用方式 for an adoption, 退回原因 for a return…). Without JavaScript
// everything stays shown, and the server ignores the fields of the decisions not chosen.
function updateShownFor(form) {
  form.querySelectorAll("[data-shown-by]").forEach((element) => {
    const control = form.elements.namedItem(element.dataset.shownBy);
    // A group of radios is a RadioNodeList (its value: the checked one's); a lone radio is the input.
    const lone = control instanceof HTMLInputElement && control.type === "radio";
    const value = !control || (lone && !control.checked) ? "" : control.value;
    element.hidden = !(element.dataset.shownFor || "").split(" ").includes(value);
  });
}

document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.querySelector(`[data-shown-by="${event.target.name}"]`)) updateShownFor(form);
});

document.querySelectorAll("form").forEach((form) => {
  if (form.querySelector("[data-shown-by]")) updateShownFor(form);
});
