// The hop-path diagram of one flow: the hops in path order, grouped by node, one row per
// direction (forward: initiator to responder, left to right; reverse: the reply, right to left),
// the packets each hop saw, and the segment where packets vanish drawn red with the hint.
"use strict";

const HopPath = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const COL = 150, BOX_W = 104, BOX_H = 44, LEFT = 20, TOP = 40;
  const ROW = { forward: TOP + 40, reverse: TOP + 40 + BOX_H + 70 };

  function el(name, attrs, text) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function shortName(hop, node) {
    return hop.startsWith(node + "/") ? hop.substring(node.length + 1) : hop;
  }

  function nodeOf(hop) {
    return hop.split("/")[0];
  }

  // The columns: the hops in forward order, and a hop the lost-at segment names that no
  // packet reached (so it is not among the flow's hops) inserted where the packets should have gone.
  function columns(detail) {
    const cols = detail.path.forward.map(h => ({ hop: h.hop, node: h.node, role: h.role }));
    const lost = detail.lostAt;
    if (lost && lost.after && lost.before && !cols.some(c => c.hop === lost.before)) {
      const i = cols.findIndex(c => c.hop === lost.after);
      const at = i < 0 ? cols.length : (lost.direction === "reverse" ? i : i + 1);
      cols.splice(at, 0, { hop: lost.before, node: nodeOf(lost.before), role: "", missing: true });
    }
    return cols;
  }

  function packets(detail, direction) {
    const m = new Map();
    for (const h of detail.path[direction]) m.set(h.hop, h.packets);
    return m;
  }

  function render(detail) {
    const cols = columns(detail);
    const width = LEFT * 2 + Math.max(cols.length, 6) * COL;
    const height = ROW.reverse + BOX_H + 60;
    const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, id: "hop-path-svg" });
    const x = i => LEFT + i * COL + (COL - BOX_W) / 2;

    // node bands
    let start = 0;
    for (let i = 1; i <= cols.length; i++) {
      if (i === cols.length || cols[i].node !== cols[start].node) {
        const bx = LEFT + start * COL + 4, bw = (i - start) * COL - 8;
        svg.append(el("rect", { class: "node-band", x: bx, y: TOP - 30, width: bw, height: height - TOP + 20, rx: 8 }));
        svg.append(el("text", { class: "node-label", x: bx + 8, y: TOP - 12 }, cols[start].node));
        start = i;
      }
    }

    for (const direction of ["forward", "reverse"]) {
      const y = ROW[direction];
      const seen = packets(detail, direction);
      svg.append(el("text", { class: "dir-label", x: LEFT + 4, y: y - 8 },
        direction === "forward" ? "forward (initiator \u2192 responder)" : "reverse (reply \u2190)"));
      cols.forEach((c, i) => {
        const n = seen.has(c.hop) ? seen.get(c.hop) : 0;
        const g = el("g", {
          class: "hop" + (c.missing ? " missing" : "") + (n === 0 ? " zero" : ""),
          "data-hop": c.hop, "data-direction": direction, "data-packets": n });
        g.append(el("rect", { x: x(i), y, width: BOX_W, height: BOX_H, rx: 4 }));
        g.append(el("text", { x: x(i) + 6, y: y + 16 }, shortName(c.hop, c.node)));
        g.append(el("text", { class: "packets", x: x(i) + 6, y: y + 34 }, n + " pkt"));
        g.append(el("title", {}, `${c.hop} ${c.role || ""}: ${n} packet(s) ${direction}`));
        svg.append(g);
      });
      // segments between neighbouring hops, drawn in the direction the packets travel
      for (let i = 0; i + 1 < cols.length; i++) {
        const [from, to] = direction === "forward" ? [cols[i], cols[i + 1]] : [cols[i + 1], cols[i]];
        const lost = detail.lostAt && detail.lostAt.direction === direction
          && detail.lostAt.after === from.hop && detail.lostAt.before === to.hop;
        const x1 = direction === "forward" ? x(i) + BOX_W : x(i + 1);
        const x2 = direction === "forward" ? x(i + 1) : x(i) + BOX_W;
        const line = el("line", {
          class: "segment" + (lost ? " lost" : ""), x1, y1: y + BOX_H / 2, x2, y2: y + BOX_H / 2,
          "marker-end": lost ? "url(#arrow-lost)" : "url(#arrow)",
          "data-after": from.hop, "data-before": to.hop, "data-direction": direction });
        svg.append(line);
        if (lost) {
          // the hint under the segment, running away from the nearer edge
          const mid = (x(i) + BOX_W + x(i + 1)) / 2;
          const hint = detail.lostAt.hint || "packets vanish here";
          const anchor = mid > width / 2 ? "end" : "start";
          svg.append(el("text", { class: "hint", x: mid, y: y + BOX_H + 22, "text-anchor": anchor,
            "data-after": from.hop, "data-before": to.hop },
            anchor === "end" ? hint + " \u2716" : "\u2716 " + hint));
        }
      }
    }
    const defs = el("defs");
    for (const [id, color] of [["arrow", "#557"], ["arrow-lost", "#d00"]]) {
      const m = el("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" });
      m.append(el("path", { d: "M0,0 L10,5 L0,10 z", fill: color }));
      defs.append(m);
    }
    svg.prepend(defs);
    return svg;
  }

  return { render, columns };
})();
