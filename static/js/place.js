// Keeps the user's place after an htmx action (issue 14, defect 3). The server marks what to show:
// after a success, the message inside the changed section ([data-place]); after a 422, the fields with
// errors (.has-error). This brings that into view and moves the focus there, so the result is seen
// and, through role="status" or the field's error, announced. No inline code: CSP script-src 'self'.
(function () {
  "use strict";

  var INVALID = ".has-error input:not([type=hidden]), .has-error select, .has-error textarea, [aria-invalid=true]";

  function swapped(detail) {
    // After an outerHTML swap the old target is detached: find its successor by id.
    var target = detail.target;
    if (target && !target.isConnected && target.id) {
      target = document.getElementById(target.id);
    }
    return target && target.isConnected ? target : null;
  }

  function show(el) {
    el.scrollIntoView({block: "center"});
    el.focus({preventScroll: true});
  }

  // A page loaded after an action without htmx (a redirect to the changed section, or a 422 page): the same.
  // (after the load, once the browser has scrolled to the URL's #section)
  window.addEventListener("load", function () {
    var el = document.querySelector("[data-place]") || document.querySelector("main " + INVALID.split(", ").join(", main "));
    if (el) {
      window.setTimeout(function () { show(el); }, 0);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail;
    var root = swapped(detail);
    if (!root || !detail.requestConfig || detail.requestConfig.verb === "get") {
      return;
    }
    var status = detail.xhr ? detail.xhr.status : 200;
    var el = status === 422 ? root.querySelector(INVALID) : root.querySelector("[data-place]");
    if (!el && status === 422) {
      el = root.querySelector(".form-errors, .flash-error");
      if (el && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "-1");
      }
    }
    if (el) {
      show(el);
    }
  });
})();
