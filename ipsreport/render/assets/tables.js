/* Table boxes that are wider than the text column (a phone, a narrow
   window) scroll sideways; show their swipe hint only then. The shadow at
   the hidden edge is pure CSS (style.css); this only toggles the words. */
(function () {
  "use strict";
  function mark() {
    var boxes = document.querySelectorAll("figure.table .table-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var hint = box.parentNode.querySelector(".scroll-hint");
      var overflows = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("overflows", overflows);
      if (hint) { hint.hidden = !overflows; }
    }
  }
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.cancelAnimationFrame(pending); }
    pending = window.requestAnimationFrame(mark);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
