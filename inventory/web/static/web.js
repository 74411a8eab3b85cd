// Progressive enhancement only: every form works without this file.
// Filter forms submit themselves when a select changes.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.tagName === "SELECT" && field.form && field.form.classList.contains("filters")) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
