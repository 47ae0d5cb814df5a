/** HTML-escapes text for element content and quoted attribute values. */
export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface SlipData {
  serviceDate: string;
  enterprise: { name: string; creditCode: string };
  supplier: { name: string; address: string; contactName: string; contactPhone: string };
  /** Zone-local, e.g. `2026-03-03 08:00–08:30`, or null when no slot was free. */
  slot: string | null;
  timeZone: string;
  pickupCode: string;
  status: string;
  lines: { productCode: string; nameZh: string; unit: string; units: number; packs: number }[];
  /** An SVG document produced by the qrcode package from the QR payload (trusted markup: it holds only path data). */
  qrSvg: string;
  qrPayload: string;
}

/** Content-Security-Policy of the slip page: no scripts, no fetches; inline styles only. */
export const SLIP_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A printable A5-ish pickup slip: every interpolated string is escaped. */
export function renderSlip(d: SlipData): string {
  const e = escapeHtml;
  const lines = d.lines
    .map((l) => `<tr><td>${e(l.productCode)}</td><td>${e(l.nameZh)}</td><td class="n">${e(l.units)}</td><td>${e(l.unit)}</td><td class="n">${e(l.packs)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>取货单 Pickup slip ${e(d.pickupCode)}</title>
<style>
  body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 24px; color: #111; }
  .slip { max-width: 720px; margin: 0 auto; border: 2px solid #111; padding: 20px 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .date { font-size: 16px; margin-bottom: 16px; }
  .top { display: flex; gap: 24px; align-items: flex-start; justify-content: space-between; }
  .qr svg { width: 200px; height: 200px; display: block; }
  .code { font: bold 44px/1.1 "DejaVu Sans Mono", Menlo, Consolas, monospace; letter-spacing: 6px; margin: 8px 0 4px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 12px 0; }
  dt { font-weight: bold; }
  dd { margin: 0; }
  table { width: 100%; border-collapse: collapse; margin-top: 12px; }
  th, td { border: 1px solid #444; padding: 4px 8px; text-align: left; }
  td.n { text-align: right; }
  .muted { color: #555; font-size: 12px; word-break: break-all; }
  @media print { body { margin: 0; } .slip { border: none; } }
</style>
</head>
<body>
<div class="slip">
  <div class="top">
    <div>
      <h1>防疫物资取货单 Pickup slip</h1>
      <div class="date">服务日期 Service date: ${e(d.serviceDate)}</div>
      <div>取货码 Pickup code</div>
      <div class="code" id="pickup-code">${e(d.pickupCode)}</div>
      <div class="muted">状态 Status: ${e(d.status)}</div>
    </div>
    <div class="qr" aria-label="QR code of the pickup">${d.qrSvg}</div>
  </div>
  <dl>
    <dt>企业 Enterprise</dt><dd>${e(d.enterprise.name)}<br><span class="muted">统一社会信用代码 ${e(d.enterprise.creditCode)}</span></dd>
    <dt>供应商 Supplier</dt><dd>${e(d.supplier.name)}</dd>
    <dt>取货地址 Pickup site</dt><dd>${e(d.supplier.address)}</dd>
    <dt>联系人 Contact</dt><dd>${e(d.supplier.contactName)} ${e(d.supplier.contactPhone)}</dd>
    <dt>取货时段 Slot</dt><dd>${d.slot ? `${e(d.slot)} (${e(d.timeZone)})` : '未排定，请联系协调员 Not slotted: contact the coordinator'}</dd>
  </dl>
  <table>
    <thead><tr><th>产品编码 Code</th><th>产品 Product</th><th>数量 Units</th><th>单位 Unit</th><th>包装数 Packs</th></tr></thead>
    <tbody>
${lines}
    </tbody>
  </table>
  <p class="muted">出示本单及二维码于门岗核验 Show this slip and its QR code at the gate. ${e(d.qrPayload)}</p>
</div>
</body>
</html>
`;
}
