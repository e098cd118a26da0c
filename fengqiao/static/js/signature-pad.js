// A handwritten signature pad for phones and tablets (finger, stylus or mouse): pointer events
// on a canvas, smoothed with quadratic curves, pressure-aware where the pen reports it. On
// submit the drawing goes to the form's hidden "signature" field as a PNG data URL; an empty
// pad stops the submit. No library, no network (the site's CSP allows only its own scripts).
(function () {
  "use strict";

  function setUp(root) {
    var canvas = root.querySelector("canvas");
    var input = root.querySelector("input[name=signature]");
    var empty = root.querySelector("[data-pad-empty]");
    var context = canvas.getContext("2d");
    var drawn = false;
    var points = [];

    // Draw at the device's pixel density and fill the width the layout gives the pad.
    function resize() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var width = canvas.parentNode.clientWidth || 300;
      var height = Math.round(width * 0.4);
      canvas.style.width = width + "px";
      canvas.style.height = height + "px";
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111";
      drawn = false;
      input.value = "";
    }

    function position(event) {
      var box = canvas.getBoundingClientRect();
      var pressure = event.pressure && event.pointerType === "pen" ? event.pressure : 0.5;
      return { x: event.clientX - box.left, y: event.clientY - box.top, w: 1.5 + pressure * 2.5 };
    }

    function segment() {
      var n = points.length;
      if (n < 2) {
        return;
      }
      var a = points[n - 2];
      var b = points[n - 1];
      var before = n > 2 ? points[n - 3] : a;
      context.lineWidth = b.w;
      context.beginPath();
      context.moveTo((before.x + a.x) / 2, (before.y + a.y) / 2);
      context.quadraticCurveTo(a.x, a.y, (a.x + b.x) / 2, (a.y + b.y) / 2);
      context.stroke();
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      points = [position(event)];
      var p = points[0];
      context.beginPath();
      context.arc(p.x, p.y, p.w / 2, 0, Math.PI * 2);
      context.fillStyle = "#111";
      context.fill();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!points.length) {
        return;
      }
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      for (var i = 0; i < events.length; i += 1) {
        points.push(position(events[i]));
        segment();
      }
      drawn = true;
      if (empty) {
        empty.hidden = true;
      }
    });
    function end() {
      points = [];
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.style.touchAction = "none"; // the finger draws; it does not scroll the page

    root.querySelector("[data-pad-clear]").addEventListener("click", function () {
      context.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
      input.value = "";
    });

    var form = root.closest("form");
    if (form) {
      form.addEventListener("submit", function (event) {
        if (!drawn) {
          event.preventDefault();
          if (empty) {
            empty.hidden = false;
          }
          return;
        }
        input.value = canvas.toDataURL("image/png");
      });
    }
    resize();
  }

  function start() {
    var pads = document.querySelectorAll("[data-signature-pad]");
    for (var i = 0; i < pads.length; i += 1) {
      setUp(pads[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
