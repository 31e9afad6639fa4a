// After a refused (422) full-page submission: the first field with an error gets the focus and is
// scrolled to the middle of the screen, so its message beside it is where the eye is.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var field = document.querySelector(
    ".has-error input:not([type=hidden]), .has-error select, .has-error textarea");
  if (!field) {
    return;
  }
  field.focus({ preventScroll: true });
  field.scrollIntoView({ block: "center" });
});
