// Checks the application form before it is sent, with the server's own wording: each
// message appears next to its field (aria-describedby), the field is marked
// aria-invalid, and the message element is a live alert so screen readers announce it.
// The server checks everything again; this only saves a round trip.
(function () {
  'use strict';
  var form = document.getElementById('applicationForm');
  if (!form) {
    return;
  }
  // Our messages replace the browser's bubbles, which differ by browser and language.
  form.noValidate = true;

  function errorElement(field) {
    var id = (field.name === 'csrPem' || field.name === 'csrFile') ? 'csr-error' : field.id + '-error';
    return document.getElementById(id);
  }

  function show(field, message) {
    var target = errorElement(field);
    if (!target) {
      return;
    }
    target.setAttribute('role', 'alert');
    target.textContent = message;
    field.setAttribute('aria-invalid', 'true');
    var described = (field.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
      return id && id !== target.id;
    });
    described.unshift(target.id);
    field.setAttribute('aria-describedby', described.join(' '));
  }

  function clear(field) {
    var target = errorElement(field);
    field.removeAttribute('aria-invalid');
    if (target) {
      target.textContent = '';
      var described = (field.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
        return id && id !== target.id;
      });
      if (described.length) {
        field.setAttribute('aria-describedby', described.join(' '));
      }
      else {
        field.removeAttribute('aria-describedby');
      }
    }
  }

  function problem(field) {
    if (field.type === 'file') {
      var file = field.files && field.files[0];
      if (!file) {
        return null;
      }
      if (file.size === 0) {
        return field.dataset.emptyMessage;
      }
      if (field.dataset.maxBytes && file.size > Number(field.dataset.maxBytes)) {
        return field.dataset.sizeMessage;
      }
      return null;
    }
    if (field.validity.valueMissing) {
      return field.dataset.requiredMessage || 'This field is required.';
    }
    if (field.validity.patternMismatch) {
      return field.dataset.patternMessage || field.validationMessage;
    }
    if (!field.validity.valid) {
      return field.validationMessage;
    }
    return null;
  }

  function check(field) {
    var message = problem(field);
    if (message) {
      show(field, message);
      return false;
    }
    clear(field);
    return true;
  }

  var fields = Array.prototype.slice.call(form.querySelectorAll('#fullName, #organisation, #phone, #csrFile'));
  fields.forEach(function (field) {
    field.addEventListener('change', function () {
      check(field);
    });
  });

  form.addEventListener('submit', function (event) {
    var first = null;
    fields.forEach(function (field) {
      if (!check(field) && !first) {
        first = field;
      }
    });
    if (first) {
      event.preventDefault();
      event.stopImmediatePropagation();
      first.focus();
    }
  }, true);
}());
