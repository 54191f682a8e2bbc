/* Browse the cases index: keywords, facets, a map, downloads.
 *
 * OR within a facet, AND across facets and with the keywords. The number beside each choice not yet
 * ticked is how many cases have it among those your other filters leave. Everything the reader
 * chooses lives in the URL, so a view can be shared, and Back/Forward work; a value in the URL that
 * no facet has is reported with the nearest one it could mean. Without JavaScript the page's plain
 * list remains.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var SORTS = {
    "title": { label: "Title (A to Z)", cmp: function (a, b) { return a.title.localeCompare(b.title); } },
    // A case whose start no source states (start null) sorts last either way.
    "start-desc": { label: "Start year (newest first)", cmp: function (a, b) { return (b.start === null ? -1 : b.start) - (a.start === null ? -1 : a.start) || a.title.localeCompare(b.title); } },
    "start-asc": { label: "Start year (oldest first)", cmp: function (a, b) { return (a.start === null ? 9999 : a.start) - (b.start === null ? 9999 : b.start) || a.title.localeCompare(b.title); } },
    "added-desc": { label: "Date added (newest first)", cmp: function (a, b) { return b.added.localeCompare(a.added) || a.title.localeCompare(b.title); } }
  };
  var PAGE = 30;
  var SCROLL_KEY = "hls-browse-scroll";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); } });
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function distance(a, b) {  // Levenshtein, for "did you mean"
    var row = [];
    for (var j = 0; j <= b.length; j++) { row.push(j); }
    for (var i = 1; i <= a.length; i++) {
      var prev = row[0];
      row[0] = i;
      for (j = 1; j <= b.length; j++) {
        var keep = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = keep;
      }
    }
    return row[b.length];
  }

  function nearest(facet, wrong) {
    var w = fold(wrong), best = null, score = Infinity;
    facet.values.forEach(function (v) {
      [v.id, v.label].forEach(function (name) {
        var d = distance(w, fold(name));
        if (d < score) { score = d; best = v; }
      });
    });
    return score <= Math.max(2, Math.floor(w.length / 3)) ? best : null;
  }

  function readState(facets) {
    var params = new URLSearchParams(window.location.search);
    var selected = {}, unknown = [];
    facets.forEach(function (facet) {
      selected[facet.key] = [];
      (params.get(facet.key) || "").split(",").filter(Boolean).forEach(function (id) {
        var known = facet.values.some(function (v) { return v.id === id; });
        if (known) { if (selected[facet.key].indexOf(id) < 0) { selected[facet.key].push(id); } } else {
          unknown.push({ facet: facet, value: id, guess: nearest(facet, id) });
        }
      });
    });
    var sort = params.get("sort");
    return { selected: selected, unknown: unknown, q: params.get("q") || "", map: params.get("map") === "1",
      sort: SORTS[sort] ? sort : "title" };
  }

  function stateQuery(state, facets) {
    var params = new URLSearchParams();
    if (state.q.trim()) { params.set("q", state.q.trim()); }
    facets.forEach(function (facet) {
      if (state.selected[facet.key].length) { params.set(facet.key, state.selected[facet.key].join(",")); }
    });
    if (state.sort !== "title") { params.set("sort", state.sort); }
    if (state.map) { params.set("map", "1"); }
    var query = params.toString();
    return query ? "?" + query : "";
  }

  function writeState(state, facets, replace) {
    var url = window.location.pathname + stateQuery(state, facets);
    if (url === window.location.pathname + window.location.search) { return; }
    window.history[replace ? "replaceState" : "pushState"](null, "", url);
  }

  function matches(entry, key, chosen) {
    if (!chosen.length) { return true; }
    var values = entry.facets[key] || [];
    for (var i = 0; i < chosen.length; i++) { if (values.indexOf(chosen[i]) >= 0) { return true; } }
    return false;
  }

  function keywordMatch(entry, words) {
    if (!words.length) { return true; }
    if (!entry._text) { entry._text = fold([entry.title, entry.summary, entry.orgs, entry.place].join(" ")); }
    for (var i = 0; i < words.length; i++) { if (entry._text.indexOf(words[i]) < 0) { return false; } }
    return true;
  }

  function words(q) { return fold(q).split(/\s+/).filter(Boolean); }

  function filterCount(data, state) {  // how many cases a state leaves (for "remove X to see N")
    var w = words(state.q);
    return data.cases.filter(function (entry) {
      return keywordMatch(entry, w) && data.facets.every(function (f) { return matches(entry, f.key, state.selected[f.key]); });
    }).length;
  }

  function compute(data, state) {
    var facets = data.facets, w = words(state.q);
    var counts = {};
    facets.forEach(function (f) { counts[f.key] = {}; });
    var results = [];
    data.cases.forEach(function (entry) {
      if (!keywordMatch(entry, w)) { return; }
      var fails = [];
      facets.forEach(function (f) { if (!matches(entry, f.key, state.selected[f.key])) { fails.push(f.key); } });
      if (!fails.length) { results.push(entry); }
      facets.forEach(function (f) {
        // counted for facet f when every other facet (and the keywords) match
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

  function slugPart(text) { return fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""); }

  function start(root) {
    var base = root.getAttribute("data-root") || "../";
    fetch(root.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) {
      var state = readState(data.facets);
      var shown = PAGE;
      var current = [];
      var labels = {}, names = {};
      data.facets.forEach(function (f) {
        labels[f.key] = {};
        names[f.key] = f.label;
        f.values.forEach(function (v) { labels[f.key][v.id] = v.label; });
      });
      var mapData = null, mapLoading = false;

      // --- controls
      var keyword = el("input", { type: "search", id: "hls-q", "class": "hls-browse__q", autocomplete: "off",
        "aria-describedby": "hls-q-hint", placeholder: "e.g. homelessness Glasgow" });
      keyword.value = state.q;
      var notice = el("div", { "class": "hls-browse__notice", role: "alert" });
      var status = el("p", { "class": "hls-browse__count", role: "status", "aria-live": "polite", id: "hls-browse-status" });
      var chips = el("ul", { "class": "hls-chips", "aria-label": "Active filters" });
      var toggle = el("button", { type: "button", "class": "md-button hls-browse__toggle", "aria-expanded": "false",
        "aria-controls": "hls-filters-panel" });
      var sortSelect = el("select", { id: "hls-sort" });
      Object.keys(SORTS).forEach(function (key) { sortSelect.appendChild(el("option", { value: key, text: SORTS[key].label })); });
      var csv = el("button", { type: "button", "class": "md-button", "data-download": "csv", text: "Download these cases (CSV)" });
      var json = el("button", { type: "button", "class": "md-button", "data-download": "json", text: "Download these cases (JSON)" });
      var mapButton = el("button", { type: "button", "class": "md-button", "aria-pressed": "false", "aria-controls": "hls-map" });
      var mapBox = el("section", { id: "hls-map", "class": "hls-map", "aria-labelledby": "hls-map-heading" });
      var list = el("ol", { "class": "hls-results", "aria-label": "Matching cases" });
      var empty = el("div", { "class": "hls-browse__empty" });
      var more = el("button", { type: "button", "class": "md-button", text: "Show more cases" });
      var filters = el("div", { "class": "hls-facets" });
      var showN = el("button", { type: "button", "class": "md-button md-button--primary hls-browse__show" });
      var panel = el("section", { id: "hls-filters-panel", "class": "hls-browse__filters", "aria-labelledby": "hls-filters-heading" },
        [el("h2", { id: "hls-filters-heading", text: "Filter cases" }),
          el("p", { "class": "hls-browse__explain", text: "The number beside a choice is how many of the cases your other filters leave have it." }),
          filters, showN]);

      data.facets.forEach(function (facet, index) {
        if (!facet.values.length) { return; }
        var fieldset = el("fieldset", { "class": "hls-facet", "data-facet": facet.key }, [el("legend", { "class": "hls-visually-hidden", text: facet.label })]);
        var details = el("details", { "class": "hls-facet-group" }, [el("summary", { text: facet.label }), fieldset]);
        details.open = index < 4 || state.selected[facet.key].length > 0;
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
            changed();
          });
        });
        filters.appendChild(details);
      });

      function changed(replace) {
        shown = PAGE;
        writeState(state, data.facets, replace);
        render();
      }

      var typing = null;
      keyword.addEventListener("input", function () {
        state.q = keyword.value;
        shown = PAGE;
        render();
        // one history entry per pause in typing, not per key
        clearTimeout(typing);
        typing = setTimeout(function () { writeState(state, data.facets, true); }, 400);
      });
      sortSelect.addEventListener("change", function () { state.sort = sortSelect.value; writeState(state, data.facets, false); render(); });
      // Focus moves to the first case the button revealed: the reader goes on from there, and focus
      // is not lost to the top of the page when the last press hides the button.
      more.addEventListener("click", function () {
        var first = shown;
        shown += PAGE;
        render();
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) { link.focus(); }
      });
      toggle.addEventListener("click", function () { setPanel(toggle.getAttribute("aria-expanded") !== "true"); });
      showN.addEventListener("click", function () { setPanel(false); status.scrollIntoView({ block: "start" }); toggle.focus(); });
      mapButton.addEventListener("click", function () { state.map = !state.map; writeState(state, data.facets, false); render(); });

      function setPanel(open) {
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        root.classList.toggle("hls-browse--panel-open", open);
      }

      // Named after the view: words, then what the cases are about, then where (hls-cases-homelessness-scotland.csv).
      var NAME_ORDER = ["sector", "scale", "practice", "obstacle", "hls_link", "completeness", "subdivision", "country"];
      function filename(ext) {
        var parts = [];
        if (state.q.trim()) { parts.push(slugPart(state.q)); }
        var keys = NAME_ORDER.filter(function (k) { return state.selected[k]; });
        data.facets.forEach(function (f) { if (keys.indexOf(f.key) < 0) { keys.push(f.key); } });
        var regions = (state.selected.subdivision || []).map(function (code) { return code.split("-")[0]; });
        keys.forEach(function (key) {
          state.selected[key].forEach(function (id) {
            if (key === "country" && regions.indexOf(id) >= 0) { return; }  // Scotland says United Kingdom
            parts.push(slugPart(labels[key][id] || id));
          });
        });
        var name = ["hls-cases"].concat(parts).join("-").slice(0, 120).replace(/-$/, "");
        return name + "." + ext;
      }

      [csv, json].forEach(function (button) {
        button.addEventListener("click", function () {
          var order = current.map(function (entry) { return entry.slug; });
          var kind = button.getAttribute("data-download");
          fetch(base + "data/cases." + kind).then(function (r) { return r.text(); }).then(function (text) {
            if (kind === "json") {
              var bySlug = {};
              JSON.parse(text).cases.forEach(function (c) { bySlug[c.slug] = c; });
              var all = order.map(function (s) { return bySlug[s]; }).filter(Boolean);
              download(filename("json"), "application/json", JSON.stringify({ cases: all, count: all.length }, null, 1));
            } else {
              // one case per line, slug first (the export guarantees both); the order the reader chose
              var lines = text.replace(/^\ufeff/, "").split("\n");
              var rows = {};
              lines.slice(1).forEach(function (line) { if (line) { rows[line.split(",")[0]] = line; } });
              var body = order.map(function (s) { return rows[s]; }).filter(Boolean);
              // A byte-order mark, so that Excel reads the file as UTF-8 (names such as Jönköping).
              download(filename("csv"), "text/csv;charset=utf-8", "\ufeff" + [lines[0]].concat(body).join("\r\n") + "\r\n");
            }
          });
        });
      });

      function chip(text, onRemove) {
        var button = el("button", { type: "button", "class": "hls-chip", "aria-label": "Remove " + text }, [text, el("span", { "aria-hidden": "true", text: " \u00d7" })]);
        button.addEventListener("click", onRemove);
        return el("li", {}, [button]);
      }

      function active() {  // [{label, remove(state)}] for every active filter
        var out = [];
        if (state.q.trim()) {
          out.push({ label: "Words: \u201c" + state.q.trim() + "\u201d", remove: function (s) { s.q = ""; } });
        }
        data.facets.forEach(function (f) {
          state.selected[f.key].forEach(function (id) {
            out.push({ label: f.label + ": " + labels[f.key][id], remove: function (s) { s.selected[f.key] = s.selected[f.key].filter(function (x) { return x !== id; }); } });
          });
        });
        return out;
      }

      function copyState() {
        var copy = { q: state.q, selected: {}, sort: state.sort, map: state.map };
        Object.keys(state.selected).forEach(function (k) { copy.selected[k] = state.selected[k].slice(); });
        return copy;
      }

      function applyRemoval(filter) {
        filter.remove(state);
        keyword.value = state.q;
        changed();
      }

      function renderNotice() {
        notice.textContent = "";
        state.unknown.forEach(function (u) {
          var noun = u.facet.label.toLowerCase();
          var p = el("p", {}, ["\u2018" + u.value + "\u2019 is not a " + noun + " in this library"]);
          if (u.guess) {
            var fix = el("button", { type: "button", "class": "hls-linkish", text: u.guess.label });
            fix.addEventListener("click", function () {
              if (state.selected[u.facet.key].indexOf(u.guess.id) < 0) { state.selected[u.facet.key].push(u.guess.id); }
              state.unknown = state.unknown.filter(function (x) { return x !== u; });
              changed(true);
            });
            p.appendChild(document.createTextNode(": did you mean "));
            p.appendChild(fix);
            p.appendChild(document.createTextNode("?"));
          } else {
            p.appendChild(document.createTextNode("; it is left out. The " + noun + " list is under \u201cFilter cases\u201d."));
          }
          notice.appendChild(p);
        });
        notice.hidden = !state.unknown.length;
      }

      function card(entry) {
        var f = entry.facets;
        var where = entry.place;
        var facts = [];
        (f.sector || []).forEach(function (s) { facts.push(labels.sector[s] || s); });
        var scales = (f.scale || []).map(function (s) { return labels.scale[s] || s; }).join(", ");
        return el("li", { "class": "hls-card" }, [
          el("h3", {}, [el("a", { href: base + entry.url, text: entry.title })]),
          el("p", { "class": "hls-card__meta" }, [where + " \u00b7 " + entry.period]),
          el("p", { "class": "hls-card__summary", text: entry.summary }),
          el("p", { "class": "hls-card__facts" }, [
            el("span", { "class": "hls-card__link", text: labels.hls_link[f.hls_link[0]] || "" }),
            " \u00b7 " + facts.join(", ") + (scales ? " \u00b7 " + scales : "")
          ])
        ]);
      }

      function renderMap() {
        mapButton.textContent = state.map ? "Hide the map" : "Show these cases on a map";
        mapButton.setAttribute("aria-pressed", state.map ? "true" : "false");
        mapBox.hidden = !state.map;
        root.classList.toggle("hls-browse--map", state.map);  // print.css prints the map when it is open
        if (!state.map) { return; }
        if (!mapData) {
          if (!mapLoading) {
            mapLoading = true;
            mapBox.textContent = "Loading the map\u2026";
            fetch(base + "data/map.json").then(function (r) { return r.json(); }).then(function (m) { mapData = m; renderMap(); });
          }
          return;
        }
        mapBox.textContent = "";
        var placed = current.filter(function (e) { return e.at; });
        mapBox.appendChild(el("h2", { id: "hls-map-heading", text: "Map of these cases" }));
        mapBox.appendChild(el("p", { "class": "hls-map__note" }, [
          placed.length + " of the " + current.length + " matching cases on the map, by country. A dot is a town or city; a ring is a case across a region or country, placed at its middle. Every case here is also in the list below, in the same order."
        ]));
        mapData.panels.forEach(function (panel) {
          var here = placed.filter(function (e) { return e.facets.country[0] === panel.country; });
          if (!here.length) { return; }
          var headingId = "hls-map-" + panel.country;
          var box = svg("svg", { viewBox: "0 0 " + panel.width + " " + panel.height, role: "group", "aria-labelledby": headingId, "class": "hls-map__svg" });
          // At most 34rem tall: narrow the panel to the map's own shape, so nothing outside it shows.
          box.style.maxWidth = (34 * panel.width / panel.height).toFixed(2) + "rem";
          box.appendChild(svg("path", { d: panel.neighbours, "class": "hls-map__neighbours" }));
          box.appendChild(svg("path", { d: panel.land, "class": "hls-map__land" }));
          here.forEach(function (entry) {
            var link = svg("a", { href: base + entry.url, "class": "hls-map__case" + (entry.at[2] ? "" : " hls-map__case--area"),
              "aria-label": entry.title + " \u2014 " + entry.place });
            var title = svg("title", {});
            title.textContent = entry.title + " \u2014 " + entry.place;
            link.appendChild(title);
            link.appendChild(svg("circle", { cx: entry.at[0], cy: entry.at[1], r: entry.at[2] ? 9 : 13 }));
            box.appendChild(link);
          });
          mapBox.appendChild(el("figure", { "class": "hls-map__panel" }, [
            el("figcaption", { id: headingId, text: panel.name + ": " + here.length + (here.length === 1 ? " case" : " cases") }), box]));
        });
      }

      function render() {
        var out = compute(data, state);
        current = out.results;
        data.facets.forEach(function (facet) {
          facet.values.forEach(function (value) {
            var box = document.getElementById("hls-f-" + facet.key + "-" + value.id);
            if (!box) { return; }
            var n = out.counts[facet.key][value.id] || 0;
            var ticked = state.selected[facet.key].indexOf(value.id) >= 0;
            box.checked = ticked;
            // A ticked value's cases are already in the results; its count would only repeat them.
            box.parentNode.querySelector(".hls-facet__count").textContent = ticked ? "" : "(" + n + ")";
            box.parentNode.classList.toggle("hls-facet__option--empty", n === 0 && !ticked);
            // Nations and regions of the countries chosen (all of them when no country is).
            var countries = state.selected.country || [];
            box.parentNode.hidden = facet.key === "subdivision" && !ticked && countries.length > 0 && countries.indexOf(value.country) < 0;
          });
        });
        sortSelect.value = state.sort;
        if (document.activeElement !== keyword) { keyword.value = state.q; }
        var filtersOn = active();
        var noun = current.length === 1 ? " case" : " cases";
        status.textContent = current.length + noun + (filtersOn.length ? " match" + (current.length === 1 ? "es" : "") + " your filters" : " in the library");
        showN.textContent = "Show " + current.length + noun;
        toggle.textContent = "Filters" + (filtersOn.length ? " (" + filtersOn.length + " on)" : "");
        chips.textContent = "";
        filtersOn.forEach(function (f) { chips.appendChild(chip(f.label, function () { applyRemoval(f); })); });
        if (filtersOn.length) {
          var all = el("button", { type: "button", "class": "hls-chip hls-chip--clear", text: "Clear all" });
          all.addEventListener("click", function () {
            data.facets.forEach(function (f) { state.selected[f.key] = []; });
            state.q = "";
            keyword.value = "";
            changed();
          });
          chips.appendChild(el("li", {}, [all]));
        }
        chips.hidden = !filtersOn.length;
        renderNotice();
        empty.textContent = "";
        empty.hidden = current.length > 0;
        if (!current.length) {
          empty.appendChild(el("p", { text: "No case matches all of these filters." }));
          var best = null, bestN = 0;
          filtersOn.forEach(function (f) {
            var trial = copyState();
            f.remove(trial);
            var n = filterCount(data, trial);
            if (n > bestN) { best = f; bestN = n; }
          });
          if (best) {
            var relax = el("button", { type: "button", "class": "md-button", text: "Remove \u201c" + best.label + "\u201d to see " + bestN + (bestN === 1 ? " case" : " cases") });
            relax.addEventListener("click", function () { applyRemoval(best); });
            empty.appendChild(relax);
          }
        }
        list.textContent = "";
        current.slice(0, shown).forEach(function (entry) { list.appendChild(card(entry)); });
        more.hidden = current.length <= shown;
        csv.disabled = json.disabled = current.length === 0;
        renderMap();
      }

      var bar = el("div", { "class": "hls-browse__bar" }, [
        el("label", { "for": "hls-q", "class": "hls-browse__q-label", text: "Find cases by words" }),
        el("p", { id: "hls-q-hint", "class": "hls-browse__hint", text: "Searches titles, summaries, organisations and places as you type." }),
        keyword, notice,
        el("div", { "class": "hls-browse__sticky" }, [el("div", { "class": "hls-browse__line" }, [status, toggle]), chips])
      ]);
      var controls = el("div", { "class": "hls-browse__controls" }, [
        el("label", { "for": "hls-sort", text: "Sort by " }), sortSelect, mapButton
      ]);
      root.appendChild(bar);
      root.appendChild(el("div", { "class": "hls-browse__layout" }, [
        panel,
        el("section", { "class": "hls-browse__results", "aria-labelledby": "hls-results-heading" },
          [el("h2", { id: "hls-results-heading", text: "Matching cases" }), controls,
            el("p", { "class": "hls-browse__downloads" }, [csv, json]), mapBox, empty, list, more])
      ]));
      var fallback = document.querySelector(".hls-static-list");
      if (fallback) { fallback.hidden = true; }
      root.hidden = false;
      window.addEventListener("popstate", function () { state = readState(data.facets); shown = PAGE; render(); });
      render();

      // Back from a case returns to the same place in the list.
      list.addEventListener("click", function (event) {
        if (event.target.closest && event.target.closest("a")) { remember(); }
      });
      mapBox.addEventListener("click", remember);
      function remember() {
        try { sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ url: location.pathname + location.search, y: window.scrollY, shown: shown })); } catch (e) { /* private mode */ }
      }
      try {
        var saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
        if (saved && saved.url === location.pathname + location.search) {
          shown = Math.max(PAGE, saved.shown || PAGE);
          render();
          if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
          window.scrollTo(0, saved.y);
          sessionStorage.removeItem(SCROLL_KEY);
        }
      } catch (e) { /* nothing saved */ }
    });
  }

  function init() {
    var root = document.getElementById("hls-browse");
    if (root && !root.getAttribute("data-started")) { root.setAttribute("data-started", "1"); start(root); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
