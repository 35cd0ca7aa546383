// The console's own script: copy buttons for values shown once (connect links, new API keys). Pages work without it.
document.addEventListener('click', function (event) {
  var button = event.target.closest('button[data-copy]');
  if (!button) { return; }
  var field = document.getElementById(button.getAttribute('data-copy'));
  var status = document.getElementById(button.getAttribute('data-copy') + '-status');
  field.select();
  var done = function (text) { if (status) { status.textContent = text; } };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(field.value).then(function () { done('Copied.'); }, function () { done('Select the text and copy it with Ctrl+C.'); });
  } else {
    done(document.execCommand('copy') ? 'Copied.' : 'Select the text and copy it with Ctrl+C.');
  }
});
