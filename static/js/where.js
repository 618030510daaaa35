/* Suggestions as you type in a "where" box: an <input data-suggest-url> gets a <datalist>
   filled from the site's own place names (/places/suggest/?q=). Without this script the box
   still works: an unknown or ambiguous place gets a "did you mean" list from the server. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-suggest-url]");
  Array.prototype.forEach.call(boxes, function (box, index) {
    var list = document.createElement("datalist");
    list.id = "where-suggestions-" + index;
    box.parentNode.appendChild(list);
    box.setAttribute("list", list.id);
    box.setAttribute("autocomplete", "off");
    var timer = null;
    var last = "";
    box.addEventListener("input", function () {
      var text = box.value.trim();
      if (text.length < 2 || text === last) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = text;
        var url = box.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(text);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            data.suggestions.forEach(function (name) {
              var option = document.createElement("option");
              option.value = name;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a help, never in the way */ });
      }, 150);
    });
  });
})();
