/* The dashboard's period chooser: show only the controls of the chosen kind (a month, a year and
   a quarter, a year, or a range). Each control's wrapper names its kinds in data-period-kinds;
   hidden controls are also disabled so they are not sent. Without JavaScript every control shows
   and the server reads only those of the chosen kind (dashboards/forms.py). */
(function () {
  "use strict";
  document.querySelectorAll("form[data-period-form]").forEach(function (form) {
    var select = form.querySelector("select[data-period-kind]");
    if (!select) {
      return;
    }
    function show() {
      var kind = select.value || "month";
      form.querySelectorAll("[data-period-kinds]").forEach(function (wrapper) {
        var shown = wrapper.getAttribute("data-period-kinds").split(" ").indexOf(kind) !== -1;
        wrapper.hidden = !shown;
        wrapper.querySelectorAll("input, select").forEach(function (control) {
          control.disabled = !shown;
        });
      });
    }
    select.addEventListener("change", show);
    show();
  });
})();
