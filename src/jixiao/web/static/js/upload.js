/* 上传: files dropped on the drop zone go into the form's file input (the form posts them as
   multipart); the chosen files are listed with their sizes; the button says when it is sending. */
(function () {
  "use strict";
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("f-files");
  var list = document.getElementById("dz-files");
  var form = document.getElementById("upload-form");
  if (!zone || !input || !form) { return; }

  function size(n) {
    if (n >= 1048576) { return (n / 1048576).toFixed(1) + " MB"; }
    return Math.max(1, Math.round(n / 1024)) + " KB";
  }

  function show() {
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.className = "dz-name";
      name.textContent = f.name;
      var s = document.createElement("span");
      s.className = "dz-size";
      s.textContent = size(f.size);
      li.appendChild(name);
      li.appendChild(s);
      list.appendChild(li);
    });
    zone.classList.toggle("has-files", input.files.length > 0);
  }

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "dragend"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) {
      var all = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { all.items.add(f); });
      Array.prototype.forEach.call(e.dataTransfer.files, function (f) { all.items.add(f); });
      input.files = all.files;
      show();
    }
  });
  input.addEventListener("change", show);
  form.addEventListener("submit", function (e) {
    if (!input.files.length) {
      e.preventDefault();
      zone.classList.add("invalid");
      return;
    }
    var button = document.getElementById("upload-submit");
    button.disabled = true;
    button.textContent = "正在上传 " + input.files.length + " 个文件…";
  });
  show();
})();
