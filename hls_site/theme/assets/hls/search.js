/* Search that keeps its state, and a search box that tells the truth.
 *
 * The search page (instance "page") keeps its query and filters in the URL, as the cases index
 * does, with the same names (?q=learning&sector=Homelessness&country=United+Kingdom): Back from a
 * result, or a shared link, brings the same search back. In the search box on every page (the
 * modal), Esc closes it and keeps the query; reopening selects the query, so typing replaces it.
 */
(function () {
  "use strict";

  // Pagefind's filter names (the cases index's facet labels) and the URL keys of the cases index.
  var KEYS = { "Country": "country", "Nation or region": "subdivision", "Sector": "sector", "Scale": "scale",
    "Practice": "practice", "Obstacle": "obstacle", "Link to HLS": "hls_link", "Completeness": "completeness" };

  function instance(name) {
    var components = window.PagefindComponents;
    return components && components.getInstanceManager ? components.getInstanceManager().getInstance(name) : null;
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    Object.keys(KEYS).forEach(function (name) {
      var values = params.getAll(KEYS[name]);
      if (values.length) { filters[name] = values; }
    });
    return { q: params.get("q") || "", filters: filters };
  }

  function writeUrl(term, filters) {
    var params = new URLSearchParams();
    if (term) { params.set("q", term); }
    Object.keys(filters || {}).forEach(function (name) {
      var key = KEYS[name] || name;
      [].concat(filters[name] || []).forEach(function (value) { params.append(key, value); });
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url !== window.location.pathname + window.location.search) { window.history.replaceState(null, "", url); }
  }

  // Pagefind lists its filters A to Z; put them in the cases index's order (in the DOM, so that
  // the keyboard meets them in the order the eye does).
  function orderFilters(pane) {
    var names = Object.keys(KEYS);
    function rank(group) { var at = names.indexOf(group.getAttribute("data-filter-name")); return at < 0 ? names.length : at; }
    function sort() {
      var box = pane.querySelector(".pf-filter-pane");
      if (!box) { return; }
      var groups = Array.prototype.slice.call(box.querySelectorAll(":scope > .pf-filter-group"));
      var sorted = groups.slice().sort(function (a, b) { return rank(a) - rank(b); });
      if (sorted.some(function (g, i) { return g !== groups[i]; })) { sorted.forEach(function (g) { box.appendChild(g); }); }
    }
    new MutationObserver(sort).observe(pane, { childList: true, subtree: true });
    sort();
  }

  function searchPage() {
    if (!document.querySelector(".hls-search-page")) { return; }
    var pane = document.querySelector(".hls-search-page pagefind-filter-pane");
    if (pane) { orderFilters(pane); }
    // On a phone the filters start folded, so the results come first.
    var fold = document.querySelector(".hls-search-page__filters");
    if (fold && window.matchMedia("(max-width: 60em)").matches) { fold.open = false; }
    var page = instance("page");
    if (!page) { return; }
    var restoring = true;
    page.on("search", function (term, filters) {
      if (!restoring) { writeUrl(term, filters); }
    });
    var saved = readUrl();
    if (saved.q || Object.keys(saved.filters).length) {
      var input = document.querySelector(".hls-search-page pagefind-input input");
      if (input) { input.value = saved.q; }
      page.triggerSearchWithFilters(saved.q, saved.filters);
    }
    restoring = false;
  }

  function modal() {
    var dialog = document.querySelector("pagefind-modal");
    var search = instance("default");
    if (!dialog || !search) { return; }
    // In the box Esc closes the search (the dialog takes the key first) and keeps the query; the
    // key hints say so, rather than the box's own "esc clear".
    var register = search.registerShortcut;
    if (typeof register === "function") {
      search.registerShortcut = function (shortcut, owner) {
        if (shortcut && shortcut.label === "esc") { shortcut = { label: "esc", description: "close" }; }
        return register.call(search, shortcut, owner);
      };
    }
    // Reopened, the box selects the last query: typing replaces it rather than adding to it.
    dialog.addEventListener("focusin", function (event) {
      var from = event.relatedTarget;
      if (event.target.matches("input") && (!from || !dialog.contains(from))) { event.target.select(); }
    });
  }

  function init() {
    searchPage();
    modal();
  }
  // Pagefind's component script is a module: it has run by the time the page's load event fires.
  if (document.readyState === "complete") { init(); } else { window.addEventListener("load", init); }
})();
