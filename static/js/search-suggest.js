// Suggestions as you type under every search box (templates/includes/search_form.html): the
// WAI-ARIA 1.2 combobox pattern with a listbox popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
// The input keeps the focus; arrow keys move the active option (aria-activedescendant), Enter
// opens it, or submits the form as typed when no option is active; Escape closes the list.
// Without JavaScript the box is a plain GET form to /tim-kiem/. No inline script or style: the
// Content-Security-Policy allows scripts from this site's files only; the list is shown and
// hidden with the "hidden" attribute and classes from site.css.
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var MIN_LENGTH = 2;
  var MAX_LENGTH = 100;

  function announce(region, text) {
    // Emptied first, so that the same count said twice in a row is still announced.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function enhance(input) {
    var url = input.getAttribute("data-suggest-url");
    var form = input.form;
    if (!url || !form || !window.fetch) {
      return;
    }
    var host = input.parentNode;
    var listId = input.id + "-goi-y";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-listbox";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gợi ý thủ tục");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    host.classList.add("suggest-host");
    host.appendChild(list);
    host.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var asked = 0; // the number of the latest request: older answers arriving late are dropped
    var answers = new Map(); // query -> suggestions, for this page's life (deleting a letter)

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function setActive(index) {
      var all = options();
      if (active >= 0 && all[active]) {
        all[active].classList.remove("is-active");
        all[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (active >= 0 && all[active]) {
        all[active].classList.add("is-active");
        all[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function isOpen() {
      return !list.hidden;
    }

    function go(index) {
      var item = items[index];
      if (item) {
        close();
        window.location.assign(item.url);
      }
    }

    function render(found, query) {
      items = found;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.textContent = "";
      found.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "suggest-title";
        title.textContent = item.title;
        option.appendChild(title);
        if (item.code) {
          var code = document.createElement("span");
          code.className = "suggest-code";
          code.textContent = " – mã " + item.code;
          option.appendChild(code);
        }
        list.appendChild(option);
      });
      if (found.length) {
        open();
        announce(status, found.length + " gợi ý");
      } else {
        close();
        announce(status, query ? "Không có gợi ý" : "");
      }
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH || query.length > MAX_LENGTH) {
        render([], "");
        return;
      }
      if (answers.has(query)) {
        render(answers.get(query), query);
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var number = ++asked;
      var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
      window
        .fetch(address, { headers: { Accept: "application/json" }, signal: controller && controller.signal })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          var found = Array.isArray(data.suggestions) ? data.suggestions : [];
          answers.set(query, found);
          // Only the answer to what is in the box now, and only while the box has the focus.
          if (number === asked && input.value.trim() === query && document.activeElement === input) {
            render(found, query);
          }
        })
        .catch(function () {
          // Aborted or failed: the search form itself still works.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing) {
        return; // Vietnamese input methods (Telex, VNI) compose letters with these keys
      }
      var count = items.length;
      switch (event.key) {
        case "ArrowDown":
          if (!count) {
            return;
          }
          event.preventDefault();
          if (!isOpen()) {
            open();
            if (event.altKey) {
              return;
            }
          }
          setActive(active + 1 < count ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!count) {
            return;
          }
          event.preventDefault();
          if (!isOpen()) {
            open();
          }
          setActive(active > 0 ? active - 1 : count - 1);
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            go(active);
          }
          // Otherwise the form is submitted with what was typed.
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault(); // keep what was typed (a search input would clear it)
            close();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });

    // A press on the list must not take the focus from the input (which would close the list).
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        go(Array.prototype.indexOf.call(options(), option));
      }
    });
    list.addEventListener("mousemove", function (event) {
      var option = event.target.closest("[role=option]");
      var index = option ? Array.prototype.indexOf.call(options(), option) : -1;
      if (index >= 0 && index !== active) {
        setActive(index);
      }
    });

    form.addEventListener("submit", function () {
      close();
    });
  }

  function start() {
    document.querySelectorAll("input[data-suggest-url]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
