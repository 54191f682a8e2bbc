/* Reading and reusing a page: copy buttons for "Cite this case" that say when they have copied,
   and wide tables that scroll inside their own box, reachable and scrollable from the keyboard.
   Without JavaScript the citations are plain text to select and the downloads still work. */
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }
  function initCopy() {
    var status = document.querySelector(".hls-copy-status");
    document.querySelectorAll("button.hls-copy[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-name") || "Text";
        var text = source.textContent.replace(/\s+$/, "") + "\n";
        if (source.tagName !== "CODE") text = source.textContent.replace(/\s+/g, " ").trim();
        copyText(text).then(function () {
          if (status) status.textContent = name + " copied to the clipboard.";
          button.setAttribute("data-copied", "true");
        }, function () {
          if (status) status.textContent = "Could not copy; select the " + name + " text and copy it yourself.";
        });
      });
    });
  }
  function initTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var table = wrap.querySelector("table");
      var wide = wrap.scrollWidth > wrap.clientWidth + 1 || (table && table.scrollWidth > wrap.clientWidth + 1);
      wrap.classList.toggle("hls-scrolls", !!wide);
      if (wide) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var label = "Table, scrolls sideways";
        for (var el = wrap.parentElement && wrap.parentElement.previousElementSibling || wrap.previousElementSibling; el; el = el.previousElementSibling) {
          if (/^H[2-4]$/.test(el.tagName)) { label = el.textContent.replace(/¶/g, "").trim() + " (table, scrolls sideways)"; break; }
        }
        wrap.setAttribute("aria-label", label);
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  function init() { initCopy(); initTables(); }
  var resizeTimer = null;
  window.addEventListener("resize", function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(initTables, 150); });
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
