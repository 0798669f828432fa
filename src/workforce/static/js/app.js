// Small behaviours of the pages. The Content-Security-Policy forbids inline scripts, so all page
// JavaScript lives here; every page works without it (htmx and these are enhancements only).
(function () {
  "use strict";

  // Export links carry the list's filters. After htmx swaps the results and pushes the new URL,
  // rewrite their query string from the address bar (without the page number).
  function syncExportLinks() {
    var params = new URLSearchParams(window.location.search);
    params.delete("page");
    var query = params.toString();
    document.querySelectorAll("a[data-keep-query]").forEach(function (link) {
      var base = link.getAttribute("href").split("?")[0];
      link.setAttribute("href", query ? base + "?" + query : base);
    });
  }

  // Forms with data-confirm ask before submitting (e.g. merging two worker records).
  function confirmSubmit(event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }

  // Filter forms send only the conditions actually set, so the pushed URL stays short and readable.
  function dropEmptyFilters(event) {
    var source = event.detail.elt;
    if (!source || !source.classList || !source.classList.contains("filter-form")) {
      return;
    }
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (name) {
      var value = parameters[name];
      if (value === "" || value === "unknown") {
        delete parameters[name];
      }
    });
  }

  // The menu button of narrow screens (base.html) shows and hides the account and the navigation;
  // Escape closes the open menu and gives the focus back to the button.
  function setUpMenu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  setUpMenu();
  document.addEventListener("htmx:configRequest", dropEmptyFilters);
  document.addEventListener("htmx:pushedIntoHistory", syncExportLinks);
  document.addEventListener("htmx:historyRestore", syncExportLinks);
  window.addEventListener("popstate", syncExportLinks);
  document.addEventListener("submit", confirmSubmit);
})();
