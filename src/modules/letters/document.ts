import QRCode from 'qrcode';
import type { Config } from '../../config.js';
import { renderPdf } from '../../pdf.js';
import { LETTER_TYPE } from '../reference/lists.js';
import { indonesianDate } from './content.js';
import type { LetterRecord } from './repository.js';

const MARGIN = 56;

/** The printable code: the verification code in groups of four, easier to type from paper. */
export function printedCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}

/**
 * An approved letter as an A4 PDF: the letterhead (SCHOOL_LETTERHEAD, SCHOOL_NAME, SCHOOL_ADDRESS),
 * the type and number, the content rendered at approval, place and date, the reviewer who approved
 * it, and a QR code (with the code printed under it) of the public verification address.
 */
export async function renderLetterPdf(letter: LetterRecord, verification: { code: string; url: string }, config: Config): Promise<Buffer> {
  const documentTitle = `${LETTER_TYPE.find((t) => t.value === letter.letterType)!.label} ${letter.letterNumber}`;
  const info = {
    Title: documentTitle,
    Author: config.schoolName,
    Subject: letter.letterNumber ?? '',
    // The letter's own date, so the same letter always gives the same document.
    CreationDate: new Date(letter.letterDate!),
  };
  const qr = QRCode.create(verification.url, { errorCorrectionLevel: 'M' });
  return renderPdf({ size: 'A4', margin: MARGIN, info }, (doc) => {
    const width = doc.page.width - 2 * MARGIN;
    doc.font('Helvetica-Bold').fontSize(12);
    for (const line of config.letters.letterhead) doc.text(line.toUpperCase(), { align: 'center' });
    doc.fontSize(16).text(config.schoolName.toUpperCase(), { align: 'center' });
    if (config.letters.schoolAddress) doc.font('Helvetica').fontSize(10).text(config.letters.schoolAddress, { align: 'center' });
    const ruleY = doc.y + 6;
    doc.moveTo(MARGIN, ruleY).lineTo(MARGIN + width, ruleY).lineWidth(2).stroke();
    doc.y = ruleY + 18;

    const title = LETTER_TYPE.find((t) => t.value === letter.letterType)!.label.toUpperCase();
    doc.font('Helvetica-Bold').fontSize(13).text(title, MARGIN, doc.y, { align: 'center', underline: true, width });
    doc.font('Helvetica').fontSize(11).text(`Nomor: ${letter.letterNumber}`, { align: 'center', width });
    doc.moveDown(1.5);

    doc.fontSize(11).text(letter.letterContent ?? '', MARGIN, doc.y, { align: 'justify', width, lineGap: 3 });
    doc.moveDown(2);

    const signatureX = MARGIN + width / 2 + 20;
    const signatureY = doc.y;
    doc.text(`${config.letters.city}, ${indonesianDate(letter.letterDate!, config.timeZone)}`, signatureX, signatureY, { width: width / 2 - 20 });
    doc.text('Yang menyetujui,', { width: width / 2 - 20 });
    doc.moveDown(3);
    doc.font('Helvetica-Bold').text(letter.reviewer?.name ?? '', { width: width / 2 - 20, underline: true });

    // The QR code, drawn module by module (vector, no image library).
    const cell = 3;
    const qrY = signatureY;
    for (let row = 0; row < qr.modules.size; row++) {
      for (let col = 0; col < qr.modules.size; col++) {
        if (qr.modules.get(row, col)) doc.rect(MARGIN + col * cell, qrY + row * cell, cell, cell);
      }
    }
    doc.fill('black');
    const qrBottom = qrY + qr.modules.size * cell + 6;
    doc.font('Helvetica').fontSize(8).text('Keaslian surat dapat diperiksa dengan kode:', MARGIN, qrBottom, { width: width / 2 });
    doc.font('Helvetica-Bold').text(printedCode(verification.code), { width: width / 2 });
    doc.font('Helvetica').text(verification.url, { width: width / 2, link: verification.url });
  });
}
