// The grid report on a phone: "add my location" fills the hidden latitude/longitude fields.
document.addEventListener("DOMContentLoaded", function () {
  const button = document.getElementById("locate");
  if (!button) return;
  button.addEventListener("click", function () {
    const shown = document.getElementById("located");
    if (!navigator.geolocation) { shown.textContent = button.dataset.unavailable; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("longitude").value = pos.coords.longitude.toFixed(6);
      shown.textContent = pos.coords.latitude.toFixed(6) + ", " + pos.coords.longitude.toFixed(6);
    }, function () { shown.textContent = button.dataset.failed; },
    {enableHighAccuracy: true, timeout: 15000});
  });
});
