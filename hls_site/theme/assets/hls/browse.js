/* Browse the cases index by facets, without typing.
 *
 * OR within a facet, AND across facets. Each value's count is the number of cases the reader
 * would see after ticking it (the other facets' choices applied). The state lives in the URL, so
 * a view can be shared and Back/Forward work. Without JavaScript the page's plain list remains.
 */
(function () {
  "use strict";

  var SORTS = {
    "title": { label: "Title (A to Z)", cmp: function (a, b) { return a.title.localeCompare(b.title); } },
    // A case whose start no source states (start null) sorts last either way.
    "start-desc": { label: "Start year (newest first)", cmp: function (a, b) { return (b.start === null ? -1 : b.start) - (a.start === null ? -1 : a.start) || a.title.localeCompare(b.title); } },
    "start-asc": { label: "Start year (oldest first)", cmp: function (a, b) { return (a.start === null ? 9999 : a.start) - (b.start === null ? 9999 : b.start) || a.title.localeCompare(b.title); } },
    "added-desc": { label: "Date added (newest first)", cmp: function (a, b) { return b.added.localeCompare(a.added) || a.title.localeCompare(b.title); } }
  };
  var PAGE = 30;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function readState(facets) {
    var params = new URLSearchParams(window.location.search);
    var selected = {};
    facets.forEach(function (facet) {
      var ids = (params.get(facet.key) || "").split(",").filter(Boolean);
      var known = facet.values.map(function (v) { return v.id; });
      selected[facet.key] = ids.filter(function (id) { return known.indexOf(id) >= 0; });
    });
    var sort = params.get("sort");
    return { selected: selected, sort: SORTS[sort] ? sort : "title" };
  }

  function writeState(state, facets, replace) {
    var params = new URLSearchParams();
    facets.forEach(function (facet) {
      if (state.selected[facet.key].length) { params.set(facet.key, state.selected[facet.key].join(",")); }
    });
    if (state.sort !== "title") { params.set("sort", state.sort); }
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url === window.location.pathname + window.location.search) { return; }
    window.history[replace ? "replaceState" : "pushState"](null, "", url);
  }

  function matches(entry, key, chosen) {
    if (!chosen.length) { return true; }
    var values = entry.facets[key] || [];
    for (var i = 0; i < chosen.length; i++) { if (values.indexOf(chosen[i]) >= 0) { return true; } }
    return false;
  }

  function compute(data, state) {
    var facets = data.facets;
    var counts = {};
    facets.forEach(function (f) { counts[f.key] = {}; });
    var results = [];
    data.cases.forEach(function (entry) {
      var fails = [];
      facets.forEach(function (f) { if (!matches(entry, f.key, state.selected[f.key])) { fails.push(f.key); } });
      if (!fails.length) { results.push(entry); }
      facets.forEach(function (f) {
        // counted for facet f when every other facet matches
        if (fails.length === 0 || (fails.length === 1 && fails[0] === f.key)) {
          (entry.facets[f.key] || []).forEach(function (id) { counts[f.key][id] = (counts[f.key][id] || 0) + 1; });
        }
      });
    });
    results.sort(SORTS[state.sort].cmp);
    return { results: results, counts: counts };
  }

  function download(filename, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = el("a", { href: url, download: filename });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function start(root) {
    var base = root.getAttribute("data-root") || "../";
    fetch(root.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) {
      var state = readState(data.facets);
      var shown = PAGE;
      var current = [];
      var labels = {};
      data.facets.forEach(function (f) {
        labels[f.key] = {};
        f.values.forEach(function (v) { labels[f.key][v.id] = v.label; });
      });

      var status = el("p", { "class": "hls-browse__count", role: "status", "aria-live": "polite" });
      var sortSelect = el("select", { id: "hls-sort" });
      Object.keys(SORTS).forEach(function (key) { sortSelect.appendChild(el("option", { value: key, text: SORTS[key].label })); });
      var clear = el("button", { type: "button", "class": "md-button", text: "Clear all filters" });
      var csv = el("button", { type: "button", "class": "md-button", "data-download": "csv", text: "Download these cases (CSV)" });
      var json = el("button", { type: "button", "class": "md-button", "data-download": "json", text: "Download these cases (JSON)" });
      var list = el("ol", { "class": "hls-results", "aria-label": "Matching cases" });
      var more = el("button", { type: "button", "class": "md-button", text: "Show more cases" });
      var filters = el("div", { "class": "hls-facets" });

      data.facets.forEach(function (facet, index) {
        var fieldset = el("fieldset", { "class": "hls-facet", "data-facet": facet.key }, [el("legend", { "class": "hls-visually-hidden", text: facet.label })]);
        var details = el("details", { "class": "hls-facet-group" }, [el("summary", { text: facet.label }), fieldset]);
        details.open = index < 3 || state.selected[facet.key].length > 0;
        facet.values.forEach(function (value) {
          var id = "hls-f-" + facet.key + "-" + value.id;
          var box = el("input", { type: "checkbox", id: id, value: value.id, name: facet.key });
          var count = el("span", { "class": "hls-facet__count" });
          var label = el("label", { "for": id }, [document.createTextNode(value.label + " "), count]);
          fieldset.appendChild(el("div", { "class": "hls-facet__option" }, [box, label]));
          box.addEventListener("change", function () {
            var chosen = state.selected[facet.key];
            var at = chosen.indexOf(value.id);
            if (box.checked && at < 0) { chosen.push(value.id); }
            if (!box.checked && at >= 0) { chosen.splice(at, 1); }
            shown = PAGE;
            writeState(state, data.facets, false);
            render();
          });
        });
        filters.appendChild(details);
      });

      sortSelect.addEventListener("change", function () { state.sort = sortSelect.value; writeState(state, data.facets, false); render(); });
      clear.addEventListener("click", function () {
        data.facets.forEach(function (f) { state.selected[f.key] = []; });
        writeState(state, data.facets, false);
        render();
      });
      more.addEventListener("click", function () { shown += PAGE; render(); });
      [csv, json].forEach(function (button) {
        button.addEventListener("click", function () {
          var slugs = {};
          current.forEach(function (entry) { slugs[entry.slug] = true; });
          var kind = button.getAttribute("data-download");
          fetch(base + "data/cases." + kind).then(function (r) { return r.text(); }).then(function (text) {
            if (kind === "json") {
              var all = JSON.parse(text).cases.filter(function (c) { return slugs[c.slug]; });
              download("hls-cases.json", "application/json", JSON.stringify({ cases: all, count: all.length }, null, 1));
            } else {
              // one case per line, slug first (the export guarantees both)
              var lines = text.split("\n");
              var rows = lines.slice(1).filter(function (line) { return slugs[line.split(",")[0]]; });
              download("hls-cases.csv", "text/csv", [lines[0]].concat(rows).join("\n") + "\n");
            }
          });
        });
      });

      function card(entry) {
        var badges = el("p", { "class": "hls-card__badges" });
        (entry.facets.principle || []).forEach(function (p) {
          badges.appendChild(el("span", { "class": "hls-badge hls-badge--" + p, text: labels.principle[p] || p }));
        });
        var period = entry.period;
        return el("li", { "class": "hls-card" }, [
          el("h3", {}, [el("a", { href: base + entry.url, text: entry.title })]),
          el("p", { "class": "hls-card__meta", text: entry.place + " · " + period }),
          el("p", { text: entry.summary }),
          badges
        ]);
      }

      function render() {
        var out = compute(data, state);
        current = out.results;
        data.facets.forEach(function (facet) {
          facet.values.forEach(function (value) {
            var box = document.getElementById("hls-f-" + facet.key + "-" + value.id);
            var n = out.counts[facet.key][value.id] || 0;
            box.checked = state.selected[facet.key].indexOf(value.id) >= 0;
            box.parentNode.querySelector(".hls-facet__count").textContent = "(" + n + ")";
            box.parentNode.classList.toggle("hls-facet__option--empty", n === 0 && !box.checked);
          });
        });
        sortSelect.value = state.sort;
        var noun = current.length === 1 ? " case" : " cases";
        status.textContent = current.length + noun + " match" + (current.length === 1 ? "es" : "") +
          (Object.keys(state.selected).some(function (k) { return state.selected[k].length; }) ? " your filters" : "");
        list.textContent = "";
        current.slice(0, shown).forEach(function (entry) { list.appendChild(card(entry)); });
        more.hidden = current.length <= shown;
        csv.disabled = json.disabled = current.length === 0;
      }

      var controls = el("div", { "class": "hls-browse__controls" }, [
        el("label", { "for": "hls-sort", text: "Sort by " }), sortSelect, clear
      ]);
      root.appendChild(el("div", { "class": "hls-browse__layout" }, [
        el("section", { "class": "hls-browse__filters", "aria-labelledby": "hls-filters-heading" },
          [el("h2", { id: "hls-filters-heading", text: "Filter cases" }), filters]),
        el("section", { "class": "hls-browse__results", "aria-labelledby": "hls-results-heading" },
          [el("h2", { id: "hls-results-heading", text: "Matching cases" }), status, controls,
            el("p", { "class": "hls-browse__downloads" }, [csv, json]), list, more])
      ]));
      var fallback = document.querySelector(".hls-static-list");
      if (fallback) { fallback.hidden = true; }
      root.hidden = false;
      window.addEventListener("popstate", function () { state = readState(data.facets); shown = PAGE; render(); });
      render();
    });
  }

  function init() {
    var root = document.getElementById("hls-browse");
    if (root && !root.getAttribute("data-started")) { root.setAttribute("data-started", "1"); start(root); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
