// svgtopng: renders the app icon's SVG into the hicolor PNG sizes at build time, so the PNGs always match the
// SVG and no binary files are committed. Usage: svgtopng IN.svg OUT.png SIZE
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    // No QGuiApplication: painting shapes into a QImage needs no platform plugin (the icon has no text, which
    // would need fonts), so the tool runs the same on a headless build machine.
    QTextStream err(stderr);
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    if (arguments.size() != 4) {
        err << "usage: svgtopng IN.svg OUT.png SIZE" << Qt::endl;
        return 2;
    }
    bool isNumber = false;
    const int size = arguments.at(3).toInt(&isNumber);
    if (!isNumber || size < 1 || size > 1024) {
        err << "svgtopng: SIZE must be a whole number from 1 to 1024, not '" << arguments.at(3) << "'"
            << Qt::endl;
        return 2;
    }
    QSvgRenderer renderer(arguments.at(1));
    if (!renderer.isValid()) {
        err << "svgtopng: " << arguments.at(1) << " is not a readable SVG" << Qt::endl;
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&painter, QRectF(0, 0, size, size));
    }
    if (!image.save(arguments.at(2), "PNG")) {
        err << "svgtopng: cannot write " << arguments.at(2) << Qt::endl;
        return 1;
    }
    return 0;
}
