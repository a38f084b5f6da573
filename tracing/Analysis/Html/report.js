// The report's interactivity: the process filter, the allocator text filter, sortable tables,
// hover numbers and the live-heap cursor. The page is complete without it (every number is in
// the HTML); this only hides, sorts and explains.
(function () {
  "use strict";
  var proc = document.getElementById("proc");
  var query = document.getElementById("q");
  var tip = document.getElementById("tip");

  function inProcess(el, p) {
    return !p || el.getAttribute("data-procs").split("|").indexOf(p) >= 0;
  }

  function apply() {
    var p = proc.value;
    var q = query.value.trim().toLowerCase();
    document.querySelectorAll("[data-procs]").forEach(function (el) {
      var show = inProcess(el, p);
      if (show && q && el.hasAttribute("data-fn")) {
        show = el.getAttribute("data-fn").toLowerCase().indexOf(q) >= 0;
      }
      el.classList.toggle("hidden", !show);
    });
    document.querySelectorAll(".pnode").forEach(function (n) {
      n.classList.toggle("selected", n.getAttribute("data-proc") === p);
    });
    document.querySelectorAll("tr[data-proc]").forEach(function (r) {
      r.classList.toggle("selected", r.getAttribute("data-proc") === p);
    });
    document.querySelectorAll("[data-count-of]").forEach(function (c) {
      var all = document.querySelectorAll(c.getAttribute("data-count-of"));
      var shown = 0;
      all.forEach(function (x) { if (!x.classList.contains("hidden")) shown++; });
      c.textContent = shown + " of " + all.length;
    });
    var h = (p ? "proc=" + encodeURIComponent(p) : "") + (q ? (p ? "&" : "") + "q=" + encodeURIComponent(q) : "");
    if (location.hash.slice(1) !== h) {
      try {
        history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
      } catch (e) {
        // Some viewers forbid history changes on file: pages; the filter still applies.
      }
    }
  }

  function select(p) {
    proc.value = proc.value === p ? "" : p;
    apply();
  }

  proc.addEventListener("change", apply);
  query.addEventListener("input", apply);
  document.querySelectorAll(".pnode").forEach(function (n) {
    n.addEventListener("click", function () { select(n.getAttribute("data-proc")); });
  });
  document.querySelectorAll("tr[data-proc]").forEach(function (r) {
    r.addEventListener("click", function () { select(r.getAttribute("data-proc")); });
  });
  document.querySelectorAll("[data-proc-link]").forEach(function (n) {
    n.addEventListener("click", function () { select(n.getAttribute("data-proc-link")); });
  });
  document.querySelectorAll(".node[data-name]").forEach(function (n) {
    n.addEventListener("click", function () {
      var name = n.getAttribute("data-name");
      query.value = query.value === name ? "" : name;
      apply();
    });
  });

  // Sorting: numeric cells carry data-v, text cells sort by their text.
  document.querySelectorAll("th.sortable").forEach(function (th) {
    th.addEventListener("click", function () {
      var table = th.closest("table");
      var body = table.tBodies[0];
      var col = Array.prototype.indexOf.call(th.parentNode.children, th);
      var desc = !th.classList.contains("desc");
      table.querySelectorAll("th").forEach(function (x) { x.classList.remove("asc", "desc"); });
      th.classList.add(desc ? "desc" : "asc");
      var numeric = th.classList.contains("n");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col], y = b.cells[col];
        var c = numeric ? Number(x.getAttribute("data-v")) - Number(y.getAttribute("data-v"))
          : x.textContent.localeCompare(y.textContent);
        return desc ? -c : c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });

  // Hover numbers.
  function show(text, e) {
    tip.textContent = text;
    tip.classList.remove("hidden");
    tip.style.left = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8) + "px";
    tip.style.top = (e.clientY + 14) + "px";
  }
  function hide() { tip.classList.add("hidden"); }
  document.querySelectorAll("[data-tip]").forEach(function (el) {
    el.addEventListener("mousemove", function (e) { show(el.getAttribute("data-tip"), e); });
    el.addEventListener("mouseleave", hide);
  });

  // The live-heap cursor: the nearest sample to the pointer.
  var live = document.getElementById("live");
  if (live) {
    var pts = live.getAttribute("data-series").split(" ").filter(Boolean).map(function (s) {
      var v = s.split(",");
      return [Number(v[0]), Number(v[1]), Number(v[2]), Number(v[3])];
    });
    var cursor = document.getElementById("live-cursor");
    live.addEventListener("mousemove", function (e) {
      if (!pts.length || e.target.hasAttribute("data-tip")) return; // the peak marker shows its own numbers
      var box = live.getBoundingClientRect();
      var x = (e.clientX - box.left) * (live.viewBox.baseVal.width / box.width);
      var best = pts[0];
      pts.forEach(function (p) { if (Math.abs(p[2] - x) < Math.abs(best[2] - x)) best = p; });
      cursor.setAttribute("cx", best[2]);
      cursor.setAttribute("cy", best[3]);
      cursor.classList.remove("hidden");
      show("tick " + best[0].toLocaleString("en") + "\n" + best[1].toLocaleString("en") + " B live", e);
    });
    live.addEventListener("mouseleave", function () { cursor.classList.add("hidden"); hide(); });
  }

  // A filter in the address (#proc=vm&q=malloc) applies on load: links and tests can open a filtered view.
  location.hash.slice(1).split("&").forEach(function (kv) {
    var i = kv.indexOf("=");
    if (i < 0) return;
    var k = kv.slice(0, i), v = decodeURIComponent(kv.slice(i + 1));
    if (k === "proc") proc.value = v;
    if (k === "q") query.value = v;
  });
  apply();
  document.body.setAttribute("data-ready", "1");
  // The time from navigation to the load event, for `bench --reports` (read back with --dump-dom).
  window.addEventListener("load", function () {
    setTimeout(function () {
      var nav = performance.getEntriesByType("navigation")[0];
      document.body.setAttribute("data-load-ms", String(Math.round(nav ? nav.loadEventStart : performance.now())));
    }, 0);
  });
})();
