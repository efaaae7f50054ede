// Progressive enhancement only: every page works without this file.
// Moves focus to the error summary after a form came back with errors.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("foutmeldingen");
  if (summary) { summary.focus(); }
});
