/* Left Behind: a table too wide for its column is shown as one card per row, each value beside its column's
   name, so no reader scrolls sideways, on a phone or beside a laptop's sidebars (styles: leftbehind-tables.css).
   The renderer (src/leftbehind/presentation/tables.py) writes each cell's column name into data-label, in the
   edition's language; other tables (Markdown, the "every number" page) get theirs here, from the header row.
   A table whose rows do not match its header (merged cells) keeps scrolling inside its own box, as every table
   does without JavaScript. */
(function () {
  "use strict";
  var widths = new WeakMap();

  function box(table) {
    return table.closest(".lb-table-scroll, .pst-scrollable-table-container") || table;
  }

  function labelled(table) {
    var head = table.tHead;
    if (!head || head.rows.length !== 1) { return false; }
    var names = Array.prototype.map.call(head.rows[0].cells, function (cell) { return cell.textContent.trim(); });
    var rows = Array.prototype.concat.apply([], Array.prototype.map.call(table.tBodies, function (body) {
      return Array.prototype.slice.call(body.rows);
    }));
    if (!rows.length || rows.some(function (row) { return row.cells.length !== names.length; })) { return false; }
    rows.forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (!cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[i]); }
      });
    });
    return true;
  }

  function fit(table) {
    var container = box(table);
    widths.set(container, container.clientWidth);
    table.classList.remove("lb-as-cards");
    if (table.scrollWidth > container.clientWidth + 1) { table.classList.add("lb-as-cards"); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var tables = Array.prototype.filter.call(document.querySelectorAll(".bd-article table"), labelled);
    tables.forEach(fit);
    document.documentElement.setAttribute("data-lb-tables", "fitted");  // for the browser tests
    if (!("ResizeObserver" in window)) {
      window.addEventListener("resize", function () { tables.forEach(fit); });
      return;
    }
    // only a change of width can change the answer (cards change a box's height, which must not refit it)
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        if (widths.get(entry.target) !== entry.target.clientWidth) {
          tables.filter(function (table) { return box(table) === entry.target; }).forEach(fit);
        }
      });
    });
    tables.forEach(function (table) { observer.observe(box(table)); });
  });
}());
