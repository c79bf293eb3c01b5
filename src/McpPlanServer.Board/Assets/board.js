// The board's only script (served from the assembly; the CSP allows no other). It follows server-sent events and,
// on each change, fetches the page again and swaps its content: plan text arrives HTML-encoded and nothing fetched is
// ever executed (DOMParser documents do not run scripts, and the CSP forbids inline script anyway).
'use strict';
(function () {
  var live = document.getElementById('live');
  var busy = false;
  var again = false;
  var stale = false;

  function editing() {
    var active = document.activeElement;
    return !!active && (active.tagName === 'TEXTAREA' || (active.tagName === 'INPUT' && active.type === 'text')) && active.value !== '';
  }

  function refresh() {
    if (busy) { again = true; return; }
    if (editing()) { stale = true; return; }
    busy = true;
    fetch(location.href, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text === null) { return; }
        var next = new DOMParser().parseFromString(text, 'text/html');
        var incoming = next.getElementById('content');
        var current = document.getElementById('content');
        if (incoming && current) {
          // The person's ticks in the review checklist live only in the page: carry them over.
          var ticked = Array.prototype.map.call(current.querySelectorAll('.checklist input'), function (box) { return box.checked; });
          current.replaceWith(document.adoptNode(incoming));
          Array.prototype.forEach.call(incoming.querySelectorAll('.checklist input'), function (box, index) { box.checked = !!ticked[index]; });
          document.title = next.title;
          var stamp = new Date();
          live.dataset.updated = String(stamp.getTime());
          live.textContent = 'live · updated ' + stamp.toLocaleTimeString();
        }
      })
      .catch(function () { stale = true; })
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  document.addEventListener('focusout', function () {
    if (stale) { stale = false; setTimeout(refresh, 0); }
  });

  if (live && window.EventSource) {
    var source = new EventSource('/events');
    source.addEventListener('changed', refresh);
    source.onopen = function () { live.classList.add('on'); };
    source.onerror = function () { live.classList.remove('on'); };
  }
})();
