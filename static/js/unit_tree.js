// The call form's unit picker: children load lazily from a small JSON endpoint (a central call
// may address ~3,200 units). The chosen ids go into a hidden input, comma-separated; the tree is
// shown only when "chosen units" is the mode. No inline script (CSP): wired from data attributes.
(function () {
  "use strict";
  const tree = document.getElementById("unit-tree");
  if (!tree) return;
  const input = document.getElementById(tree.dataset.input);
  const count = tree.querySelector(".unit-tree-count");
  const chosen = new Set((input.value || "").split(",").filter(Boolean));

  function sync() {
    input.value = Array.from(chosen).join(",");
    count.textContent = String(chosen.size);
  }

  function showForMode() {
    const mode = document.querySelector("input[name='target_mode']:checked");
    tree.hidden = !mode || mode.value !== "chosen";
  }

  async function load(list, parentId) {
    const url = new URL(tree.dataset.url, window.location.origin);
    if (parentId) url.searchParams.set("parent", parentId);
    const loading = document.createElement("li");
    loading.className = "small text-body-secondary";
    loading.textContent = tree.dataset.loading;
    list.appendChild(loading);
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    loading.remove();
    if (!response.ok) return;
    const data = await response.json();
    if (!data.units.length) {
      const empty = document.createElement("li");
      empty.className = "small text-body-secondary";
      empty.textContent = tree.dataset.empty;
      list.appendChild(empty);
    }
    for (const unit of data.units) list.appendChild(node(unit));
  }

  function node(unit) {
    const item = document.createElement("li");
    item.className = "unit-tree-node";
    const row = document.createElement("div");
    row.className = "d-flex align-items-center gap-1";
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "btn btn-sm btn-link p-0 unit-tree-toggle";
    toggle.textContent = unit.has_children ? "▸" : "";
    toggle.disabled = !unit.has_children;
    toggle.setAttribute("aria-expanded", "false");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.className = "form-check-input mt-0";
    box.id = "unit-" + unit.id;
    box.value = String(unit.id);
    box.checked = chosen.has(box.value);
    box.dataset.testid = "unit-choice";
    const label = document.createElement("label");
    label.htmlFor = box.id;
    label.className = "form-check-label";
    label.textContent = unit.name;
    row.append(toggle, box, label);
    item.appendChild(row);
    const children = document.createElement("ul");
    children.className = "list-unstyled ms-4 mb-0";
    children.hidden = true;
    item.appendChild(children);
    box.addEventListener("change", function () {
      if (box.checked) chosen.add(box.value); else chosen.delete(box.value);
      sync();
    });
    toggle.addEventListener("click", function () {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      toggle.textContent = open ? "▸" : "▾";
      children.hidden = open;
      if (!open && !children.dataset.loaded) {
        children.dataset.loaded = "1";
        load(children, unit.id);
      }
    });
    return item;
  }

  document.querySelectorAll("input[name='target_mode']").forEach(function (radio) {
    radio.addEventListener("change", showForMode);
  });
  showForMode();
  sync();
  load(tree.querySelector(".unit-tree-root"), null);
})();
