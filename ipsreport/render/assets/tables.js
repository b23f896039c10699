/* Boxes wider than the text column (tables, and charts that keep a legible
   width) scroll sideways on a phone. Mark them so style.css can fade the
   edge where more is hidden, and show a table's swipe hint only then. The
   shadow cue in style.css works without this script. */
(function () {
  "use strict";
  var SELECTOR = "figure.table .table-scroll, figure a.figure-link";

  function edges(box) {
    var overflows = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("overflows", overflows);
    box.classList.toggle("at-start", box.scrollLeft <= 1);
    box.classList.toggle("at-end", box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
    return overflows;
  }

  function mark() {
    var boxes = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var overflows = edges(box);
      var hint = box.parentNode.querySelector(".scroll-hint");
      if (hint) { hint.hidden = !overflows; }
      if (!box.dataset.edges) {
        box.dataset.edges = "1";
        box.addEventListener("scroll", function (event) { edges(event.currentTarget); }, { passive: true });
        // A lazily loaded chart has its width only once it has loaded.
        var img = box.querySelector("img");
        if (img && !img.complete) { img.addEventListener("load", mark); }
      }
    }
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.cancelAnimationFrame(pending); }
    pending = window.requestAnimationFrame(mark);
  });
  window.addEventListener("load", mark);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
