#!/usr/bin/env python3
# make-corpus.py — writes the MIME test corpus of tests/unit/test_mail.c into
# the folder given as argv[1] (normally this folder). The messages are
# written out by hand below; the script exists because several need exact
# bytes that are awkward to keep in an editor: raw windows-1252, koi8-r and
# ISO-2022-JP text, CRLF line ends, a base64 .docx (built with zipfile) and a
# base64 winmail.dat (a TNEF stream built with struct, checksums included).
# Running it again reproduces the committed files byte for byte.
import base64, io, os, struct, sys, zipfile, quopri
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
def w(name, data):
    if isinstance(data, str):
        data = data.encode('utf-8')
    open(os.path.join(out, name), 'wb').write(data)
def b64(data, width=76):
    s = base64.b64encode(data).decode()
    return '\n'.join(s[i:i+width] for i in range(0, len(s), width))

H = """Received: from mail.agency.gov (mail.agency.gov [10.1.2.3])
\tby mx.pulse.example.gov with ESMTPS id 4XyZ1;
\tMon, 24 Feb 2025 09:15:02 -0500
"""

# 01 plain
w('01-plain.eml', H + """From: Jane Q. Doe <Jane.Doe@Agency.gov>
To: "Pulse" <pulse+k3J9xQ2@pulse.example.gov>
Cc: Bob Manager <Bob.Manager@agency.gov>, carol@agency.gov
Subject: Re: What did you accomplish last week? (2025-W08)
Date: Mon, 24 Feb 2025 09:14:55 -0500
Message-ID: <CAF1234.reply@mail.agency.gov>
In-Reply-To: <req-2025-W08-000123@pulse.example.gov>
References: <campaign-2025-W08@pulse.example.gov>
 <req-2025-W08-000123@pulse.example.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

- Closed 14 FOIA requests
- Migrated the intake form to the new portal
- Trained 3 new analysts

Jane
""")

# 02 quoted-printable (utf-8 bullets, soft breaks, =3D)
w('02-quoted-printable.eml', """From: Omar Haddad <omar.haddad@agency.gov>
To: pulse+Qp7@pulse.example.gov
Subject: Re: Weekly check-in
Date: Tue, 25 Feb 2025 14:03:00 +0000
Message-ID: <qp-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

=E2=80=A2 Reviewed the budget model; variance =3D 2.1%
=E2=80=A2 Wrote a very long bullet that a mailer wrapped with a soft line bre=
ak in the middle of a word
=E2=80=A2 Caf=C3=A9 inventory closed out
""")

# 03 base64 utf-8
body03 = "Hi,\n\n1. Finished the \u201cgrants\u201d audit\n2. Filed 6 reports \u2014 all on time\n3. Met with the regional team\n"
w('03-base64.eml', """From: =?utf-8?q?Li_Wei?= <li.wei@agency.gov>
To: pulse+B64@pulse.example.gov
Subject: Re: Weekly check-in
Date: Wed, 26 Feb 2025 08:00:00 -0800
Message-ID: <b64-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

""" + b64(body03.encode()) + "\n")

# 04 iso-8859-1 labelled, quoted-printable, with a windows-1252 apostrophe (0x92)
w('04-iso-8859-1.eml', """From: =?iso-8859-1?q?Andr=E9_M=FCller?= <andre.muller@agency.gov>
To: pulse+L1@pulse.example.gov
Subject: =?ISO-8859-1?Q?R=E9sum=E9_of_the_week?=
Date: Thu, 27 Feb 2025 10:30:00 +0100
Message-ID: <latin1-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

- Pr=E9par=E9 the d=E9p=F4t report
- Fixed the =FCber-slow query
- Didn=92t miss a deadline
""")

# 05 windows-1252 raw 8bit: smart quotes, euro, dashes, bullet
body05 = "\u2022 Saved \u20ac12,000 on the \u201cprint\u201d contract\n\u2022 Finished Q2 review \u2013 two weeks early\n\u2022 Onboarded the team\u2019s new lead \u2014 Ana\n"
w('05-windows-1252.eml', ("""From: Pat Smith <pat.smith@agency.gov>
To: pulse+W1252@pulse.example.gov
Subject: Re: Weekly check-in
Date: Fri, 28 Feb 2025 16:45:10 -0500
Message-ID: <cp1252-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: 8bit

""").encode() + body05.encode('cp1252'))

# 06 RFC 2047 encoded words
w('06-encoded-words.eml', """From: =?UTF-8?B?Sm9zw6kgw4FsdmFyZXo=?= <Jose.Alvarez@Agency.GOV>
To: =?ISO-8859-1?Q?Fran=E7ois?= <francois@agency.gov>,
 "Pulse Bot" <pulse+Ew6@pulse.example.gov>
Subject: =?UTF-8?Q?Re:_Semana_8_=E2=80=94_logros?= =?UTF-8?B?IOKckw==?=
Date: Mon, 24 Feb 2025 12:00:00 +0000
Message-ID: <ew-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

* Cerr\u00e9 el informe trimestral
* Actualic\u00e9 el manual
""")

# 07 multipart/alternative
w('07-alternative.eml', """From: Kim Lee <kim.lee@agency.gov>
To: pulse+Alt7@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 10:00:00 -0500
Message-ID: <alt-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="=_alt_7"

--=_alt_7
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

- Shipped release 2.3
- Fixed 9 bugs

--=_alt_7
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 7bit

<html><body><ul><li>Shipped release 2.3 (HTML)</li><li>Fixed 9 bugs</li></ul></body></html>

--=_alt_7--
""")

# 08 HTML only
w('08-html-only.eml', """From: Dana White <dana.white@agency.gov>
To: pulse+Html8@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 11:00:00 -0500
Message-ID: <html-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<!DOCTYPE html>
<html><head><title>Re: Weekly check-in</title>
<style>p { margin: 0 } .x{color:red}</style>
<script>var x =3D "<b>not text</b>";</script>
</head>
<body>
<p>Hi&nbsp;Bob,</p>
<p>This week:</p>
<ul>
  <li>Closed   the <b>Smith</b> &amp; Jones case</li>
  <li>Saved &euro;5&#8239;000 &mdash; &quot;finally&quot;</li>
  <li>Wrote &lt;10 pages&gt; of notes<br>and a summary</li>
</ul>
<ol><li>First</li><li>Second<ul><li>nested</li></ul></li></ol>
<table><tr><th>Item</th><th>Count</th></tr><tr><td>Tickets</td><td>14</td></tr></table>
<div>Thanks,<br>Dana</div>
<blockquote>On Mon, Pulse wrote:<br>Reply with five bullets</blockquote>
<!-- a comment <li>hidden</li> -->
</body></html>
""")

# 09 format=flowed delsp=yes
w('09-flowed-delsp.eml', """From: Sam Ortiz <sam.ortiz@agency.gov>
To: pulse+Fl9@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 13:00:00 -0500
Message-ID: <flowed-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes
Content-Transfer-Encoding: 7bit

- Completed the records retention schedule for all four regional 
offices
- Closed 3 audits 
> quoted line
""")

# 10 format=flowed without delsp
w('10-flowed.eml', """From: Sam Ortiz <sam.ortiz@agency.gov>
To: pulse+Fl10@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 13:05:00 -0500
Message-ID: <flowed-0002@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8; format="Flowed"
Content-Transfer-Encoding: 7bit

- One long bullet that was 
wrapped by the mailer
""")

# 11 text attachment (windows-1252 base64 .txt) + body
att11 = "- Reviewed 12 contracts\r\n- Negotiated \x93better\x94 terms\r\n".encode('latin-1')
w('11-text-attachment.eml', """From: Ray Chen <ray.chen@agency.gov>
To: pulse+Txt11@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 14:00:00 -0500
Message-ID: <txt-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mix11"

--mix11
Content-Type: text/plain; charset=us-ascii

My bullets are attached.

--mix11
Content-Type: text/plain; charset=windows-1252; name="bullets.txt"
Content-Disposition: attachment; filename="bullets.txt"
Content-Transfer-Encoding: base64

""" + b64(att11) + """

--mix11--
""")

# 12 winmail.dat (TNEF)
def tnef_attr(level, attr, data):
    return struct.pack('<BII', level, attr, len(data)) + data + struct.pack('<H', sum(data) & 0xFFFF)
def mapi_props(props):
    out = struct.pack('<I', len(props))
    for p in props:
        out += p
    return out
def pad4(b):
    return b + b'\0' * ((4 - len(b) % 4) % 4)
def prop_string8(pid, s):
    return struct.pack('<HH', 0x001E, pid) + struct.pack('<I', 1) + struct.pack('<I', len(s)) + pad4(s)
def prop_unicode(pid, s):
    return struct.pack('<HH', 0x001F, pid) + struct.pack('<I', 1) + struct.pack('<I', len(s)) + pad4(s)
def prop_long(pid, v):
    return struct.pack('<HHI', 0x0003, pid, v)
def prop_named_long(v):
    guid = bytes(range(16))
    return struct.pack('<HH', 0x0003, 0x8005) + guid + struct.pack('<II', 0, 0x8233) + struct.pack('<I', v)
tnef = struct.pack('<IH', 0x223E9F78, 0x0102)
tnef += tnef_attr(1, 0x00089006, struct.pack('<I', 0x00010000))
tnef += tnef_attr(1, 0x00069007, struct.pack('<II', 1252, 0))
tnef += tnef_attr(1, 0x00078008, b'IPM.Microsoft Mail.Note\0')
tnef += tnef_attr(1, 0x0002800C, 'Legacy body \x96 ignored\r\n\0'.encode('latin-1'))
body_u = '\u2022 Fixed the intake queue\r\n\u2022 Closed 14 tickets\r\n\0'.encode('utf-16-le')
tnef += tnef_attr(1, 0x00069003, mapi_props([prop_named_long(7), prop_unicode(0x1000, body_u), prop_long(0x0E07, 1)]))
tnef += tnef_attr(2, 0x00069002, struct.pack('<HIIHHI', 1, 0xFFFFFFFF, 0, 0, 0, 0)[:14])
tnef += tnef_attr(2, 0x00018010, b'BULLET~1.TXT\0')
tnef += tnef_attr(2, 0x0006800F, '- Drafted the FY26 plan\r\n- Reviewed 3 contracts \x96 all on time\r\n'.encode('latin-1'))
tnef += tnef_attr(2, 0x00069005, mapi_props([prop_long(0x3705, 1), prop_string8(0x3707, b'bullets-week8.txt\0')]))
tnef += tnef_attr(2, 0x00069002, struct.pack('<HIIHHI', 1, 0xFFFFFFFF, 0, 0, 0, 0)[:14])
tnef += tnef_attr(2, 0x00018010, b'LOGO.PNG\0')
tnef += tnef_attr(2, 0x0006800F, b'\x89PNG\r\n\x1a\n0123456789')
w('12-winmail-dat.eml', """From: "Outlook User" <outlook.user@agency.gov>
To: pulse+Tnef12@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 15:00:00 -0500
Message-ID: <tnef-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="tnef12"

--tnef12
Content-Type: text/plain; charset=us-ascii

See attached.

--tnef12
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Disposition: attachment; filename="winmail.dat"
Content-Transfer-Encoding: base64

""" + b64(tnef) + """

--tnef12--
""")

# 13 docx
doc_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
 '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
 '<w:p><w:r><w:t>Weekly accomplishments</w:t></w:r></w:p>'
 '<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
 '<w:r><w:t>Closed 14 FOIA </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>requests</w:t></w:r></w:p>'
 '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
 '<w:r><w:t xml:space="preserve">Migrated the form &amp; retired the old one</w:t></w:r><w:del><w:r><w:delText>DELETED</w:delText></w:r></w:del></w:p>'
 '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Total</w:t><w:tab/><w:t>\u201cQ2\u201d &lt;done&gt;</w:t></w:r></w:p>'
 '<w:p/>'
 '<w:p><w:r><w:t>Line one</w:t><w:br/><w:t>line two</w:t></w:r></w:p>'
 '</w:body></w:document>')
zb = io.BytesIO()
def zi(name):  # fixed timestamps keep the output reproducible
    return zipfile.ZipInfo(name, date_time=(2025, 2, 24, 9, 0, 0))
with zipfile.ZipFile(zb, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr(zi('[Content_Types].xml'), '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    z.writestr(zi('_rels/.rels'), '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    z.writestr(zi('word/document.xml'), doc_xml, compress_type=zipfile.ZIP_DEFLATED)
docx = zb.getvalue()
w('13-docx.eml', """From: Mia Park <mia.park@agency.gov>
To: pulse+Docx13@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 16:00:00 -0500
Message-ID: <docx-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="docx13"

--docx13
Content-Type: text/plain; charset=utf-8

Bullets in the attached document.

--docx13
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
 name="=?UTF-8?Q?Wochenbericht_KW8.docx?="
Content-Disposition: attachment;
 filename*=UTF-8''Wochenbericht%20KW8.docx
Content-Transfer-Encoding: base64

""" + b64(docx) + """

--docx13--
""")

# 14 nested mixed > alternative > related
png = b'\x89PNG\r\n\x1a\n' + bytes(range(40))
w('14-nested.eml', """From: Lee Grant <lee.grant@agency.gov>
To: pulse+Nest14@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 17:00:00 -0500
Message-ID: <nested-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

This is a multi-part message in MIME format.

--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

=C2=B7 Planned the Q3 offsite
=C2=B7 Closed the travel backlog

--alt
Content-Type: multipart/related; boundary="rel"; type="text/html"

--rel
Content-Type: text/html; charset=utf-8

<p>&middot; Planned the Q3 offsite</p><p>&middot; Closed the travel backlog</p><img src="cid:logo@x">

--rel
Content-Type: image/png; name="logo.png"
Content-ID: <logo@x>
Content-Disposition: inline; filename="logo.png"
Content-Transfer-Encoding: base64

""" + b64(png) + """
--rel--

--alt--

--outer
Content-Type: application/pdf; name="report.pdf"
Content-Disposition: attachment; filename="report.pdf"
Content-Transfer-Encoding: base64

""" + b64(b'%PDF-1.4\n%fake\n') + """

--outer--
""")

# 15-20 auto-replies
def auto(name, extra, subject, body="I am out of the office until March 3.\n"):
    w(name, """From: Away Person <away.person@agency.gov>
To: pulse+Auto@pulse.example.gov
Subject: """ + subject + """
Date: Mon, 24 Feb 2025 09:00:01 -0500
Message-ID: <""" + name.replace('.eml', '') + """@agency.gov>
""" + extra + """MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

""" + body)
auto('15-auto-submitted.eml', "Auto-Submitted: auto-replied (vacation)\n", "Automatic reply: What did you accomplish last week?")
auto('16-x-autoreply.eml', "X-Autoreply: yes\n", "Re: What did you accomplish last week?")
auto('17-precedence.eml', "Precedence: auto_reply\n", "Away")
auto('18-exchange-rules.eml', "X-MS-Exchange-Inbox-Rules-Loop: away.person@agency.gov\nX-MS-Has-Attach:\n", "Automatic reply: What did you accomplish last week?")
auto('19-auto-submitted-no.eml', "Auto-Submitted: no\nPrecedence: list\n", "Re: What did you accomplish last week?", "- Real reply despite the header\n")
auto('20-subject-oof.eml', "", "Out of Office: What did you accomplish last week?")

# 21 DSN with message/rfc822
w('21-dsn.eml', """Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.pulse.example.gov>
To: pulse@pulse.example.gov
Subject: Undelivered Mail Returned to Sender
Date: Mon, 24 Feb 2025 08:01:00 -0500
Message-ID: <20250224130100.AB12@mx.pulse.example.gov>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="AB12.1740402060/mx.pulse.example.gov"

This is a MIME-encapsulated message.

--AB12.1740402060/mx.pulse.example.gov
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<Gone.Person@agency.gov>: host mail.agency.gov said: 550 5.1.1 User unknown

--AB12.1740402060/mx.pulse.example.gov
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.pulse.example.gov
X-Postfix-Queue-ID: AB12
Arrival-Date: Mon, 24 Feb 2025 08:00:58 -0500

Final-Recipient: rfc822; Gone.Person@agency.gov
Original-Recipient: rfc822;gone.person@agency.gov
Action: failed
Status: 5.1.1
Remote-MTA: dns; mail.agency.gov
Diagnostic-Code: smtp; 550 5.1.1 <Gone.Person@agency.gov>:
    Recipient address rejected: User unknown

Final-Recipient: rfc822; slow@agency.gov
Action: delayed
Status: 4.4.1 (connection timed out)

--AB12.1740402060/mx.pulse.example.gov
Content-Description: Undelivered Message
Content-Type: message/rfc822

From: Pulse <pulse@pulse.example.gov>
To: Gone.Person@agency.gov
Subject: What did you accomplish last week? (2025-W08)
Message-ID: <req-2025-W08-000999@pulse.example.gov>
Date: Mon, 24 Feb 2025 08:00:00 -0500

Please reply with about five bullets.

--AB12.1740402060/mx.pulse.example.gov--
""")

# 22 DSN with text/rfc822-headers (Exchange/sendmail style), CRLF
dsn22 = """From: postmaster@agency.gov
To: pulse@pulse.example.gov
Subject: Delivery Status Notification (Failure)
Date: Tue, 25 Feb 2025 10:00:00 +0000
Message-ID: <dsn22@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/report; report-type="delivery-status"; boundary="dsn22"

--dsn22
Content-Type: text/plain; charset=utf-8

Delivery to the following recipient failed permanently:

    nobody@agency.gov

--dsn22
Content-Type: message/delivery-status

Reporting-MTA: dns;mail.agency.gov

Final-Recipient: RFC822; <Nobody@Agency.gov>
Action: Failed
Status: 5.2.2
Diagnostic-Code: smtp;552 5.2.2 Mailbox full

--dsn22
Content-Type: text/rfc822-headers

From: Pulse <pulse@pulse.example.gov>
To: nobody@agency.gov
Message-ID:
 <req-2025-W08-004242@pulse.example.gov>
Subject: What did you accomplish last week?

--dsn22--
"""
w('22-dsn-headers.eml', dsn22.replace('\n', '\r\n'))

# 23 CRLF line endings with QP soft breaks
crlf = """From: Crlf Sender <crlf.sender@agency.gov>
To: pulse+Crlf@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 18:00:00 -0500
Message-ID: <crlf-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

- First bullet that is long enough to be wrapped by quoted-printable enco=
ding
- Second bullet
"""
w('23-crlf.eml', crlf.replace('\n', '\r\n'))

# 24 missing closing boundary
w('24-missing-boundary-end.eml', """From: Broken Mailer <broken@agency.gov>
To: pulse+Br24@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 19:00:00 -0500
Message-ID: <broken-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="never-closed"

--never-closed
Content-Type: text/plain; charset=utf-8

- Bullet before the cut
- Another bullet
""")

# 25 bad base64
w('25-bad-base64.eml', """From: Bad Encoder <bad.encoder@agency.gov>
To: pulse+Bad25@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 20:00:00 -0500
Message-ID: <badb64-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

LSBGaXhlZCB0aGUg*aW50YWtlIHF1ZXVlCi0gQ2xv!
c2VkIDE0IHRpY2tldHMK
""")

# 26 unknown charset name
w('26-bad-charset.eml', """From: Odd Client <odd.client@agency.gov>
To: pulse+Cs26@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 21:00:00 -0500
Message-ID: <badcs-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-no-such-charset"
Content-Transfer-Encoding: 8bit

- Caf\u00e9 budget reconciled
""")

# 27 koi8-r
w('27-koi8-r.eml', ("""From: =?koi8-r?B?6dfBzg==?= <ivan@agency.gov>
To: pulse+Koi27@pulse.example.gov
Subject: =?KOI8-R?Q?=EF=D4=DE=C5=D4?=
Date: Mon, 24 Feb 2025 22:00:00 +0300
Message-ID: <koi8-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=koi8-r
Content-Transfer-Encoding: 8bit

""").encode() + "- \u0417\u0430\u043a\u0440\u044b\u043b \u043e\u0442\u0447\u0451\u0442\n".encode('koi8-r'))

# 28 undeclared 8-bit (windows-1252 bytes, no charset)
w('28-undeclared-8bit.eml', ("""From: Old Client <old.client@agency.gov>
To: pulse+U28@pulse.example.gov
Subject: Re: Weekly check-in
Date: Mon, 24 Feb 2025 23:00:00 -0500
Message-ID: <undecl-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain

""").encode() + "\u2022 Cut costs by 5\u2009%\n".replace('\u2009', ' ').encode('cp1252') + "\u2022 Na\u00efve approach retired\n".encode('cp1252'))

# 29 no Content-Type, UTF-8 body, folded subject, no MIME-Version
w('29-undeclared-utf8.eml', """From: plain@agency.gov
To: pulse+U29@pulse.example.gov
Subject: Re: Weekly check-in
 with a folded subject
Date: 24 Feb 2025 23:30:00 -0500
Message-ID: <undecl-0002@agency.gov>

\u2013 Zo\u00eb fixed the \u201cpipeline\u201d
""")

# 30 Outlook HTML
w('30-html-outlook.eml', """From: "Doe, John (CONTRACTOR)" <John.Doe@Agency.gov>
To: Pulse <pulse+Ol30@pulse.example.gov>
Subject: RE: What did you accomplish last week?
Date: Mon, 24 Feb 2025 09:30:00 -0500
Message-ID: <BN0PR09MB1234.namprd09.prod.outlook.com>
Thread-Index: AdmXyZ
MIME-Version: 1.0
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html xmlns:o=3D"urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3Dus-ascii">
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:Pi=
xelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0in;} --></style></head>
<body lang=3D"EN-US"><div class=3D"WordSection1">
<p class=3D"MsoNormal">Good morning,<o:p></o:p></p>
<p class=3D"MsoNormal"><o:p>&nbsp;</o:p></p>
<p class=3D"MsoListParagraph" style=3D"text-indent:-.25in;mso-list:l0 level=
1 lfo1"><![if !supportLists]><span style=3D"font-family:Symbol">&middot;<span=
 style=3D"font:7.0pt &quot;Times New Roman&quot;">&nbsp;&nbsp;&nbsp;&nbsp;&=
nbsp;&nbsp;&nbsp; </span></span><![endif]>Reviewed 22 invoices<o:p></o:p></=
p>
<p class=3D"MsoListParagraph" style=3D"text-indent:-.25in"><![if !supportLi=
sts]><span>&middot;<span>&nbsp;&nbsp; </span></span><![endif]>Drafted the S=
OW<o:p></o:p></p>
<p class=3D"MsoNormal"><o:p>&nbsp;</o:p></p>
<div style=3D"border:none;border-top:solid #E1E1E1 1.0pt">
<p class=3D"MsoNormal"><b>From:</b> Pulse &lt;pulse@pulse.example.gov&gt;<b=
r><b>Sent:</b> Saturday, February 22, 2025 9:00 AM<br><b>Subject:</b> What=
 did you accomplish last week?</p></div>
</div></body></html>
""")

# 31 mbox From_ line in front (same message as 01 otherwise)
w('31-mbox-from-line.eml', "From Jane.Doe@Agency.gov Mon Feb 24 09:15:02 2025\n" + open(os.path.join(out, '01-plain.eml')).read())

# 32 Apple Mail split body around an inline image
w('32-split-body.eml', """From: Mac User <mac.user@agency.gov>
To: pulse+Mac32@pulse.example.gov
Subject: Re: Weekly check-in
Date: Tue, 25 Feb 2025 09:00:00 -0800
Message-ID: <split-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="Apple-Mail-32"

--Apple-Mail-32
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

- Built the dashboard (screenshot below)

--Apple-Mail-32
Content-Type: image/png; name="shot.png"
Content-Disposition: inline; filename="shot.png"
Content-Transfer-Encoding: base64

""" + b64(png) + """
--Apple-Mail-32
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

- Presented it to leadership
--Apple-Mail-32--
""")

# 33 multipart/signed
w('33-signed.eml', """From: Sig Ner <sig.ner@agency.gov>
To: pulse+Sig33@pulse.example.gov
Subject: Re: Weekly check-in
Date: Tue, 25 Feb 2025 10:00:00 -0500
Message-ID: <signed-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="sig33"

--sig33
Content-Type: text/plain; charset=utf-8

- Signed bullet one
- Signed bullet two

--sig33
Content-Type: application/pgp-signature; name="signature.asc"

-----BEGIN PGP SIGNATURE-----
iQEzBAEBCAAdFiEEfake
-----END PGP SIGNATURE-----

--sig33--
""")

# 34 address headers: groups, Delivered-To x2, X-Original-To, Reply-To
w('34-addresses.eml', """Delivered-To: Pulse+Tok34@pulse.example.gov
Received: from a by b; Tue, 25 Feb 2025 11:00:05 -0500
Delivered-To: pulse@pulse.example.gov
X-Original-To: PULSE+Tok34@PULSE.example.gov
From: "Team Lead" <Team.Lead@Agency.gov>, second@agency.gov
Reply-To: Personal <Lead.Personal@Gmail.com>
To: Review Team: Ann <ANN@agency.gov>, ben@agency.gov;, pulse+Tok34@pulse.example.gov
Cc: undisclosed-recipients:;
Subject: Re: Weekly check-in
Date: Tue, 25 Feb 2025 11:00:00 -0500
Message-ID: <addr-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

- One
""")

# 35 missing Date, Subject, Message-ID
w('35-minimal.eml', """From: someone@agency.gov

- Only a body
""")

# 36 labelled utf-8 but windows-1252 bytes
w('36-utf8-mislabelled.eml', ("""From: Mis Label <mis.label@agency.gov>
To: pulse+Ml36@pulse.example.gov
Subject: Re: Weekly check-in
Date: Tue, 25 Feb 2025 12:00:00 -0500
Message-ID: <mislabel-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

""").encode() + "- Met the \u201cno-overtime\u201d goal\n".encode('cp1252'))

# 37 forwarded message attachment
w('37-forwarded.eml', """From: Fwd User <fwd.user@agency.gov>
To: pulse+Fw37@pulse.example.gov
Subject: Fw: my list
Date: Tue, 25 Feb 2025 13:00:00 -0500
Message-ID: <fwd-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fw37"

--fw37
Content-Type: text/plain; charset=utf-8

See the forwarded list.

--fw37
Content-Type: message/rfc822
Content-Disposition: attachment; filename="list.eml"

From: Me <fwd.user@agency.gov>
Subject: list
Message-ID: <inner@agency.gov>

- Inner bullet

--fw37--
""")

# 38 iso-2022-jp (stateful)
w('38-iso-2022-jp.eml', ("""From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@agency.gov>
To: pulse+Jp38@pulse.example.gov
Subject: =?ISO-2022-JP?B?""" + base64.b64encode("\u5831\u544a".encode("iso2022_jp")).decode() + """?=
Date: Tue, 25 Feb 2025 14:00:00 +0900
Message-ID: <jp-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit

""").encode() + "- \u5831\u544a\u66f8\u3092\u63d0\u51fa\n".encode('iso2022_jp'))

# 39 HTML with meta charset only
w('39-html-meta-charset.eml', ("""From: Meta Html <meta.html@agency.gov>
To: pulse+Mh39@pulse.example.gov
Subject: Re: Weekly check-in
Date: Tue, 25 Feb 2025 15:00:00 -0500
Message-ID: <meta-0001@agency.gov>
MIME-Version: 1.0
Content-Type: text/html
Content-Transfer-Encoding: 8bit

""").encode() + '<html><head><meta charset="windows-1252"></head><body><p>\u201cDone\u201d \u2013 \u20ac40 saved</p></body></html>\n'.encode('cp1252'))

# 40 blank text/plain alternative, real HTML
w('40-blank-plain-alt.eml', """From: Web Mailer <web.mailer@agency.gov>
To: pulse+Wm40@pulse.example.gov
Subject: Re: Weekly check-in
Date: Tue, 25 Feb 2025 16:00:00 -0500
Message-ID: <blank-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b40"

--b40
Content-Type: text/plain; charset=utf-8

 

--b40
Content-Type: text/html; charset=utf-8

<div>1) Closed the loop</div><div>2) Updated docs</div>

--b40--
""")

# 41 corrupt docx and a bad-charset attachment
w('41-corrupt-docx.eml', """From: Bad Doc <bad.doc@agency.gov>
To: pulse+Bd41@pulse.example.gov
Subject: Re: Weekly check-in
Date: Tue, 25 Feb 2025 17:00:00 -0500
Message-ID: <baddoc-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b41"

--b41
Content-Type: text/plain; charset=utf-8

Attached.

--b41
Content-Type: application/octet-stream; name="notes.docx"
Content-Disposition: attachment; filename="notes.docx"
Content-Transfer-Encoding: base64

""" + b64(b'PK\x03\x04 this is not really a zip file at all') + """

--b41--
""")

# 42 a .docx sent as application/octet-stream whose document.xml is stored,
# not deflated
zb = io.BytesIO()
with zipfile.ZipFile(zb, 'w', zipfile.ZIP_STORED) as z:
    z.writestr(zi('word/document.xml'),
               '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
               '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr><w:r><w:t>Stored bullet &#8211; one</w:t></w:r></w:p>'
               '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr><w:r><w:t>Stored bullet two</w:t></w:r></w:p>'
               '</w:body></w:document>')
w('42-docx-stored.eml', """From: Stored Doc <stored.doc@agency.gov>
To: pulse+Sd42@pulse.example.gov
Subject: Re: Weekly check-in
Date: Tue, 25 Feb 2025 18:00:00 -0500
Message-ID: <storeddoc-0001@agency.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b42"

--b42
Content-Type: application/octet-stream; name="week8.DOCX"
Content-Transfer-Encoding: base64

""" + b64(zb.getvalue()) + """
--b42--
""")
