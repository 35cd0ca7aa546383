// The console's own script: copy buttons, for values shown once (connect links, new API keys) and values to paste into
// the Azure portal. Every page works without it (htmx adds partial updates on top).
document.addEventListener('click', function (event) {
  var button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  if (!button) { return; }
  var id = button.getAttribute('data-copy');
  var field = document.getElementById(id);
  if (!field) { return; }
  var status = document.getElementById(id + '-status');
  var isInput = typeof field.select === 'function';
  var text = isInput ? field.value : field.textContent.trim();
  var select = function () {
    if (isInput) { field.select(); return; }
    var range = document.createRange();
    range.selectNodeContents(field);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };
  var done = function (message) {
    if (status) { status.textContent = message; return; }
    button.textContent = message === 'Copied.' ? 'Copied' : 'Press Ctrl+C';
    setTimeout(function () { button.textContent = 'Copy'; }, 2000);
  };
  select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(text).then(function () { done('Copied.'); }, function () { done('Select the text and copy it with Ctrl+C.'); });
  } else {
    done(document.execCommand('copy') ? 'Copied.' : 'Select the text and copy it with Ctrl+C.');
  }
});
