// 采用 a suggested category: only when the person presses the button, never by itself. The
// subcategory list follows the category (htmx), so the subcategory is chosen once it is loaded.
(function () {
  "use strict";
  var wanted = "";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-suggest-category]");
    if (!button) { return; }
    var category = document.getElementById("id_category");
    if (!category) { return; }
    wanted = button.getAttribute("data-suggest-subcategory") || "";
    category.value = button.getAttribute("data-suggest-category");
    category.dispatchEvent(new Event("change", { bubbles: true }));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "id_subcategory" && wanted) {
      event.target.value = wanted;
      wanted = "";
    }
  });
})();
