/* Live character count beside a textarea (Chinese: every character counts; no words). */
(function () {
  "use strict";
  document.querySelectorAll("[data-for][data-template]").forEach(function (counter) {
    var field = document.getElementById(counter.dataset.for);
    if (!field) return;
    var max = parseInt(field.dataset.max || "0", 10);
    var guidance = parseInt(field.dataset.guidance || "0", 10);
    field.insertAdjacentElement("afterend", counter); // beside the field, above its help and errors
    function update() {
      var count = Array.from(field.value).length; // code points, as Python's len() counts them
      counter.textContent = counter.dataset.template.replace("{count}", count);
      counter.classList.toggle("text-warning-emphasis", guidance > 0 && count > guidance && !(max > 0 && count > max));
      counter.classList.toggle("text-danger", max > 0 && count > max);
      counter.classList.toggle("fw-semibold", max > 0 && count > max);
    }
    field.addEventListener("input", update);
    update();
  });
})();
