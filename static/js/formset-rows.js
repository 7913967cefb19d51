/*
 * More rows in a Django formset without a reload.
 *
 * Markup (see dialogues/templates/dialogues/submission_form.html):
 *   <div data-formset="PREFIX">
 *     {{ formset.management_form }}
 *     <div data-formset-rows> ...one element per form... </div>
 *     <template data-formset-empty> ...formset.empty_form, "__number__" for the row's number... </template>
 *     <button type="button" data-formset-add hidden>Add a row</button>
 *   </div>
 *
 * The button copies the empty form with the next index in place of "__prefix__", counts it in
 * PREFIX-TOTAL_FORMS and moves the focus to the new row's first field. Without JavaScript the
 * button stays hidden and the page keeps its empty rows, with a hint ([data-formset-fallback]) that
 * saving adds more; with it, that hint is hidden.
 */
(function () {
  "use strict";

  function firstField(row) {
    return row.querySelector("input:not([type=hidden]), select, textarea");
  }

  function setUp(formset) {
    var prefix = formset.getAttribute("data-formset");
    var total = formset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var maximum = formset.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var template = formset.querySelector("template[data-formset-empty]");
    var rows = formset.querySelector("[data-formset-rows]");
    var button = formset.querySelector("button[data-formset-add]");
    if (!total || !template || !rows || !button) {
      return false;
    }
    var limit = maximum ? Number(maximum.value) : Infinity;

    button.addEventListener("click", function () {
      var index = Number(total.value);
      if (index >= limit) {
        button.disabled = true;
        return;
      }
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      button.disabled = index + 1 >= limit;
      var field = firstField(rows.lastElementChild);
      if (field) {
        field.focus();
      }
    });
    button.hidden = false;
    return true;
  }

  var formsets = Array.prototype.slice.call(document.querySelectorAll("[data-formset]"));
  var ready = formsets.map(setUp).some(Boolean);
  if (ready) {
    document.querySelectorAll("[data-formset-fallback]").forEach(function (hint) {
      hint.hidden = true;
    });
  }
})();
