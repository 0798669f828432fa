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

  // The installable app (decision 0019): the service worker at the site's root caches the shell and shows the
  // offline page when the phone has no network; it never stores a page.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  // Choosers (core.widgets.ChooserInput, e.g. the worker list's employer filter): htmx loads the options
  // as one types; choosing one (click, or arrows and Enter) puts its id into the hidden input, whose
  // change makes the filter form ask for the results. Typing alone does not filter.
  function chooserOf(element) {
    return element && element.closest ? element.closest("[data-chooser]") : null;
  }

  function chooserOptions(chooser) {
    return Array.prototype.slice.call(chooser.querySelectorAll(".chooser__option"));
  }

  function showOptions(chooser, shown) {
    var list = chooser.querySelector('[role="listbox"]');
    var input = chooser.querySelector("[data-chooser-input]");
    list.hidden = !shown;
    input.setAttribute("aria-expanded", shown ? "true" : "false");
    if (!shown) {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(chooser, option) {
    var hidden = chooser.querySelector("[data-chooser-value]");
    var input = chooser.querySelector("[data-chooser-input]");
    var value = option ? option.getAttribute("data-value") : "";
    input.value = option ? option.getAttribute("data-label") : "";
    showOptions(chooser, false);
    if (hidden.value !== value) {
      hidden.value = value;
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function moveActive(chooser, step) {
    var options = chooserOptions(chooser);
    var input = chooser.querySelector("[data-chooser-input]");
    if (!options.length) {
      return;
    }
    var current = options.findIndex(function (option) {
      return option.getAttribute("aria-selected") === "true";
    });
    var next = (current + step + options.length) % options.length;
    options.forEach(function (option, index) {
      option.setAttribute("aria-selected", index === next ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", options[next].id);
    showOptions(chooser, true);
  }

  function chooserKeys(event) {
    var chooser = chooserOf(event.target);
    if (!chooser || !event.target.hasAttribute("data-chooser-input")) {
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveActive(chooser, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      var active = chooser.querySelector('.chooser__option[aria-selected="true"]');
      var options = chooserOptions(chooser);
      if (active || options.length === 1) {
        event.preventDefault(); // choose, rather than submit the form with the typed text
        choose(chooser, active || options[0]);
      }
    } else if (event.key === "Escape") {
      showOptions(chooser, false);
    }
  }

  function chooserClick(event) {
    var option = event.target.closest && event.target.closest(".chooser__option");
    var chooser = chooserOf(option);
    if (option && chooser) {
      choose(chooser, option);
    }
  }

  function chooserTyped(event) {
    var chooser = chooserOf(event.target);
    if (chooser && event.target.hasAttribute("data-chooser-input") && event.target.value.trim() === "") {
      choose(chooser, null); // an emptied box means any employer
    }
  }

  function chooserTextChanged(event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-chooser-input")) {
      event.stopPropagation(); // the typed text is no condition: only a chosen option filters
    }
  }

  function chooserOptionsLoaded(event) {
    var chooser = chooserOf(event.detail.target);
    if (chooser && event.detail.target.getAttribute("role") === "listbox") {
      showOptions(chooser, event.detail.target.children.length > 0);
    }
  }

  document.addEventListener("keydown", chooserKeys);
  document.addEventListener("click", chooserClick);
  document.addEventListener("input", chooserTyped);
  document.addEventListener("change", chooserTextChanged, true);
  document.addEventListener("htmx:afterSwap", chooserOptionsLoaded);
  document.addEventListener("htmx:configRequest", dropEmptyFilters);
  document.addEventListener("htmx:pushedIntoHistory", syncExportLinks);
  document.addEventListener("htmx:historyRestore", syncExportLinks);
  window.addEventListener("popstate", syncExportLinks);
  document.addEventListener("submit", confirmSubmit);
})();
