// A signature pad for the agreement signing page: draw with finger, pen or mouse on
// <canvas id="signature-pad">; on submit the drawing goes into <input id="signature-data"> as a PNG
// data URL. Our own module, no dependencies, no inline script or style (the CSP forbids both).
(function () {
  "use strict";

  function setup() {
    var canvas = document.getElementById("signature-pad");
    var field = document.getElementById("signature-data");
    var form = document.getElementById("sign-form");
    if (!canvas || !field || !form) { return; }
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var strokes = 0;
    var last = null;

    function clear() {
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      strokes = 0;
      field.value = "";
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height)
      };
    }

    function start(event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture && event.pointerId !== undefined) {
        canvas.setPointerCapture(event.pointerId);
      }
    }

    function move(event) {
      if (!drawing) { return; }
      event.preventDefault();
      var p = point(event);
      ctx.strokeStyle = "#111111";
      ctx.lineWidth = 4;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
      strokes += 1;
    }

    function end() {
      drawing = false;
      last = null;
    }

    canvas.addEventListener("pointerdown", start);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);

    var again = document.getElementById("signature-clear");
    if (again) { again.addEventListener("click", clear); }

    form.addEventListener("submit", function (event) {
      if (strokes < 3) {
        event.preventDefault();
        var note = document.getElementById("signature-missing");
        if (!note) {
          note = document.createElement("p");
          note.id = "signature-missing";
          note.className = "error";
          note.setAttribute("role", "alert");
          note.textContent = "请先在签名框内签名";
          canvas.parentNode.insertBefore(note, canvas.nextSibling);
        }
        return;
      }
      field.value = canvas.toDataURL("image/png");
    });

    clear();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
}());
