/* Catalog staff screens: "add a row" for the guide form's row lists (materials, stages, …).
   Without JavaScript the form still works: one blank row is always there, and saving adds another. */
(function () {
  "use strict";
  function addRow(prefix) {
    var template = document.getElementById("tpl-" + prefix);
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var list = document.querySelector('[data-rows="' + prefix + '"]');
    if (!template || !total || !list) { return; }
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    var legend = row.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.replace("新增行", "第" + (index + 1) + "行"); }
    list.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (button) { event.preventDefault(); addRow(button.getAttribute("data-add-row")); }
  });
  /* Confirmation steps are pages of their own; this only stops a double submit of a slow POST. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () { form.dataset.submitted = ""; }, 5000);
  });
  /* An error summary takes the focus so a screen-reader user hears it first. */
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".sc-error-summary");
    if (summary) { summary.focus(); }
  });
})();
