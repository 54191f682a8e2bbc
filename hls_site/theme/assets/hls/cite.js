/* Citations a reader can check where they read: [S3] shows source 3's passages on hover, keyboard
   focus or tap, and each source lists links back to the sentences that cite it. Without JavaScript,
   [S3] is a plain link to the source, whose passages are printed under it. */
(function () {
  "use strict";
  function init() {
    var sources = document.querySelectorAll(".hls-sources > li[id^='source-']");
    if (!sources.length) return;
    var links = document.querySelectorAll("article a[href^='#source-']");
    var citedIn = {};
    var pop = document.createElement("div");
    pop.className = "hls-cite-pop";
    pop.id = "hls-cite-pop";
    pop.setAttribute("role", "tooltip");
    pop.hidden = true;
    document.body.appendChild(pop);
    var current = null;

    function show(link) {
      var number = link.getAttribute("href").slice("#source-".length);
      var source = document.getElementById("source-" + number);
      if (!source) return;
      pop.textContent = "";
      var head = document.createElement("p");
      var lead = source.querySelector("p");
      var text = "";
      if (lead) {
        lead.childNodes.forEach(function (node) {
          if (!(node.classList && node.classList.contains("hls-source__url"))) text += node.textContent;
        });
      }
      head.textContent = "[S" + number + "] " + text.replace(/\s+/g, " ").trim();
      pop.appendChild(head);
      source.querySelectorAll(".hls-quote").forEach(function (quote) { pop.appendChild(quote.cloneNode(true)); });
      var go = document.createElement("a");
      go.href = "#source-" + number;
      go.textContent = "Go to source " + number;
      var p = document.createElement("p");
      p.appendChild(go);
      pop.appendChild(p);
      var box = link.getBoundingClientRect();
      pop.hidden = false;
      var left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8));
      pop.style.left = left + "px";
      pop.style.top = (window.scrollY + box.bottom + 6) + "px";
      link.setAttribute("aria-describedby", "hls-cite-pop");
      current = link;
    }
    function hide() {
      if (current) current.removeAttribute("aria-describedby");
      pop.hidden = true;
      current = null;
    }

    Array.prototype.forEach.call(links, function (link, index) {
      if (link.closest(".hls-sources, .hls-why, .hls-cite-pop")) return;
      var number = link.getAttribute("href").slice("#source-".length);
      link.id = link.id || "cite-" + number + "-" + (index + 1);
      (citedIn[number] = citedIn[number] || []).push(link);
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("mouseleave", function () { if (document.activeElement !== link) hide(); });
      link.addEventListener("blur", function () { setTimeout(function () { if (!pop.contains(document.activeElement)) hide(); }, 0); });
      link.addEventListener("click", function () {
        var target = document.getElementById("source-" + number);
        document.querySelectorAll(".hls-source--marked").forEach(function (el) { el.classList.remove("hls-source--marked"); });
        if (target) target.classList.add("hls-source--marked");
        hide();
      });
    });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
    document.addEventListener("click", function (event) {
      if (current && !pop.contains(event.target) && event.target !== current) hide();
    });

    Array.prototype.forEach.call(sources, function (source) {
      var number = source.id.slice("source-".length);
      var cites = citedIn[number];
      if (!cites) return;
      var line = document.createElement("p");
      line.className = "hls-cited-in";
      line.appendChild(document.createTextNode("Cited in: "));
      cites.forEach(function (cite, i) {
        var back = document.createElement("a");
        back.href = "#" + cite.id;
        var heading = null;
        var block = cite;  // the top-level block of the article that holds the citation
        while (block.parentElement && block.parentElement.tagName !== "ARTICLE") block = block.parentElement;
        for (var el = block; el && !heading; el = el.previousElementSibling) {
          if (/^H[23]$/.test(el.tagName)) heading = el;
        }
        back.textContent = (heading ? heading.textContent.replace(/¶/g, "").trim() : "passage") + " (" + (i + 1) + ")";
        if (i) line.appendChild(document.createTextNode(", "));
        line.appendChild(back);
      });
      source.appendChild(line);
    });
  }
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
