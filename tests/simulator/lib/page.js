'use strict';
// The HTML page and /_next/static/chunks/*.js of a build, shaped like the real
// Next.js site so a gateway's signer scrapes them exactly as it would in
// production: seed in <meta name="grok-site-verification">, curves in an
// escaped RSC payload, indices inside the one chunk that consumes module 1645e3.
const crypto = require('node:crypto');

// Patterns a signer looks for; filler chunks must contain none of them.
const SIGNER_PATTERNS = [/1645e3/, /\[[\w$]+\[\d+\]%4\]/, /\[[\w$]+\[\d+\]%16\]/, /\([\w$]+\[\d+\],16\)/];

const pick = (arr) => arr[crypto.randomInt(0, arr.length)];
const modId = () => crypto.randomInt(10000, 99999) * 10 + crypto.randomInt(1, 9);

// Deterministic per build so the same chunk name always returns the same bytes.
function seededRandom(seedText) {
  let state = crypto.createHash('sha256').update(seedText).digest();
  let pos = 0;
  return (n) => {
    if (pos + 4 > state.length) {
      state = crypto.createHash('sha256').update(state).digest();
      pos = 0;
    }
    const v = state.readUInt32BE(pos);
    pos += 4;
    return v % n;
  };
}

function fillerModule(rnd) {
  const id = 10000 + rnd(890000);
  const dep = 10000 + rnd(890000);
  const tag = ['div', 'span', 'button', 'svg', 'section'][rnd(5)];
  const cls = ['flex items-center', 'relative w-full', 'text-sm text-secondary', 'rounded-2xl border'][rnd(4)];
  const variants = [
    `${id}:(e,t,n)=>{n.d(t,{A:()=>o});var r=n(${dep});function o(e){let{children:t,className:a}=e;return(0,r.jsx)("${tag}",{className:(0,r.cn)("${cls}",a),children:t})}}`,
    `${id}:(e,t,n)=>{n.d(t,{q:()=>s});let a=new Map,i=e=>e.trim().toLowerCase();function s(e,t){let n=i(e);return a.has(n)?a.get(n):(a.set(n,t),t)}}`,
    `${id}:(e,t,n)=>{n.d(t,{u:()=>c});var r=n(${dep});let c=(0,r.createContext)({open:!1,setOpen:()=>{}});c.displayName="${tag}Ctx"}`,
    `${id}:(e,t,n)=>{n.d(t,{Z:()=>l});function l(e){let t=0;for(let n=0;n<e.length;n++)t=31*t+e.charCodeAt(n)|0;return t>>>0}}`,
    `${id}:(e,t,n)=>{n.d(t,{f:()=>d});var r=n(${dep});function d(e){let[t,n]=(0,r.useState)(e);return(0,r.useEffect)(()=>{let t=setTimeout(()=>n(e),${50 + rnd(400)});return()=>clearTimeout(t)},[e]),t}}`,
  ];
  return variants[rnd(variants.length)];
}

function wrapChunk(rnd, modules) {
  return `"use strict";(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[${1000 + rnd(8000)}],{${modules.join(',')}}]);\n`;
}

function fillerChunk(name) {
  const rnd = seededRandom(`filler:${name}`);
  for (;;) {
    const count = 4 + rnd(10);
    const js = wrapChunk(rnd, Array.from({ length: count }, () => fillerModule(rnd)));
    if (!SIGNER_PATTERNS.some((re) => re.test(js))) return js;
  }
}

// The consumer of module 1645e3: it reads seed bytes at the build's indices.
// The signer scrapes `[x[G]%4]`, `[x[S]%16]` and three `(x[N],16)` in order.
function generatorChunk(build) {
  const rnd = seededRandom(`generator:${build.generatorChunk}`);
  const { group: g, segment: s, time: [a, b, c] } = build.indices;
  const id = 10000 + rnd(890000);
  const dep = 10000 + rnd(890000);
  const consumer =
    `${id}:(e,t,n)=>{n.d(t,{Y:()=>p});var r=n(1645e3),u=n(${dep});let h=(e,t)=>e%t,` +
    `f=e=>Math.round(100*e)/100;function p(e){let{curves:c,seed:m}=e,o=r.z(m),` +
    `i=c[o[${g}]%4][o[${s}]%16],d=Math.round(h(o[${a}],16)*h(o[${b}],16)*h(o[${c}],16)/10)*10,` +
    `l=(0,u.ease)(i.bezier.map((e,t)=>t%2?f(2*e/255-1):f(e/255)));return(0,u.render)(i,d/4096,l)}}`;
  const modules = Array.from({ length: 2 + rnd(5) }, () => fillerModule(rnd));
  modules.splice(rnd(modules.length + 1), 0, consumer);
  return wrapChunk(rnd, modules);
}

function chunkSource(build, name) {
  if (!build.chunks.includes(name)) return null;
  return name === build.generatorChunk ? generatorChunk(build) : fillerChunk(name);
}

// RSC flight payload text; the curves JSON is embedded as a prop, and the
// whole text is then put in a JS string literal (hence the \" escaping).
function rscPayload(build, notFound) {
  const curves = JSON.stringify(build.curves.map((grp) => grp.map((x) => ({ color: x.color, deg: x.deg, bezier: x.bezier }))));
  const lines = [
    `0:{"P":null,"b":"${build.id}","p":"","c":["","${notFound ? 'index' : ''}"],"i":false}`,
    `1:"$Sreact.fragment"`,
    `2:I[${modId()},[],"default"]`,
    `3:["$","$L2",null,{"className":"h-full","children":["$","main",null,{"id":"root"}]}]`,
    `4:["$","$L5",null,{"buildId":"${build.id}","animation":{"duration":4096,"curves":${curves}}}]`,
  ];
  return `${lines.join('\n')}\n`;
}

function renderPage(build, { notFound = false } = {}) {
  const scripts = build.chunks.map((n) => `<script src="/_next/static/chunks/${n}.js" async></script>`).join('');
  const title = notFound ? '404: This page could not be found. | Grok' : 'Grok';
  const body = notFound
    ? '<div class="flex h-full flex-col items-center justify-center"><h1>404</h1><p>This page could not be found.</p><a href="/">Go to Grok</a></div>'
    : '<div id="root" class="h-full"></div>';
  return (
    '<!DOCTYPE html><html lang="en" class="h-full"><head><meta charSet="utf-8"/>' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>' +
    `${scripts}<title>${title}</title>` +
    `<meta name="grok-site-verification" content="${build.seedB64}">` +
    '<link rel="icon" href="/favicon.ico"/></head>' +
    `<body class="h-full">${body}` +
    '<script>(self.__next_f=self.__next_f||[]).push([0])</script>' +
    `<script>self.__next_f.push([1,${JSON.stringify(rscPayload(build, notFound))}])</script>` +
    '</body></html>'
  );
}

module.exports = { renderPage, chunkSource, SIGNER_PATTERNS };
