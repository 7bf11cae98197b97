// After each result the question box is focused and its text selected, so that the next caller's
// question replaces it as soon as staff type.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("question");
  if (box && box.dataset.select === "yes") {
    box.focus();
    box.select();
  }
});
