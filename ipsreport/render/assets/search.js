// Offline full-text search of the book: MiniSearch (assets/vendor, MIT)
// indexes the sections listed in assets/search-docs.js, written at render
// time. Works from a web server and from files opened directly (no fetch).
(function () {
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!input || !list || !window.MiniSearch || !window.IPS_SEARCH_DOCS) { return; }
  var search = new MiniSearch({
    fields: ["title", "text"],
    storeFields: ["title", "page", "chapter"],
    searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.15 }
  });
  search.addAll(window.IPS_SEARCH_DOCS);
  function show(query) {
    list.innerHTML = "";
    if (query.trim().length < 2) { list.hidden = true; return; }
    var hits = search.search(query).slice(0, 12);
    list.hidden = false;
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = input.getAttribute("data-no-results") || "No results";
      list.appendChild(none);
      return;
    }
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.page;
      link.textContent = hit.title;
      var where = document.createElement("small");
      where.textContent = hit.chapter;
      item.appendChild(link);
      item.appendChild(where);
      list.appendChild(item);
    });
  }
  input.addEventListener("input", function () { show(input.value); });
})();
