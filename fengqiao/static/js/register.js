// The register form: one more party row from the hidden template (Django formset prefix).
document.addEventListener("DOMContentLoaded", function () {
  const button = document.getElementById("add-party");
  if (!button) return;
  button.addEventListener("click", function () {
    const total = document.getElementById("id_parties-TOTAL_FORMS");
    const template = document.getElementById("party-template");
    const html = template.innerHTML.replaceAll("__prefix__", total.value);
    template.insertAdjacentHTML("beforebegin", html);
    total.value = Number(total.value) + 1;
  });
});
