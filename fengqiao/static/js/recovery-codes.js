// The recovery-code page's Print and Copy buttons; without this script the codes can still be
// selected and copied by hand, or printed from the browser's menu.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var list = document.getElementById(button.getAttribute("data-copy"));
      if (!list || !navigator.clipboard) { button.hidden = true; return; }
      button.addEventListener("click", function () {
        var codes = Array.prototype.map.call(list.querySelectorAll("code"), function (c) {
          return c.textContent;
        });
        navigator.clipboard.writeText(codes.join("\n")).then(function () {
          button.textContent = button.getAttribute("data-copied");
        });
      });
    });
  });
})();
