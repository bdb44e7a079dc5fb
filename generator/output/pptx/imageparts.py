"""python-pptx's image parts of one presentation, found by digest without walking it.

To add a picture, python-pptx looks for an equal image among the package's parts,
then for the first free ``/ppt/media/imageN`` name, walking every relationship of
the package each time; for the eight chart pictures of a watch rebuild that was
more than the rest of adding the slides. `index_images` replaces the package's
image lookup with one that walks once and then keeps a digest index and the
numbers taken, answering as python-pptx's would. It holds while pictures are the
only image parts added to the package after it is installed, as in `output.pptx.writer`,
which adds nothing else under ``/ppt/media/``.
"""

from __future__ import annotations

import bisect
from typing import IO

from pptx.opc.packuri import PackURI
from pptx.package import _ImageParts
from pptx.parts.image import Image, ImagePart

MEDIA_PREFIX = "/ppt/media/image"


class _IndexedImageParts(_ImageParts):
    def __init__(self, package) -> None:
        super().__init__(package)
        self._by_sha1: dict[str, ImagePart] = {}
        for part in self:  # python-pptx's order: the first equal image is the one reused
            if hasattr(part, "sha1"):
                self._by_sha1.setdefault(part.sha1, part)
        self._numbers = sorted(part.partname.idx for part in package.iter_parts()
                               if part.partname.startswith(MEDIA_PREFIX)
                               and part.partname.idx is not None)

    def get_or_add_image_part(self, image_file: str | IO[bytes]) -> ImagePart:
        """The image part holding `image_file`'s image: an equal one, else a new one
        named as `Package.next_image_partname` names it (the first free number)."""
        image = Image.from_file(image_file)
        found = self._by_sha1.get(image.sha1)
        if found is not None:
            return found
        number = next((i for i, taken in enumerate(self._numbers, 1) if i < taken),
                      len(self._numbers) + 1)
        part = ImagePart(PackURI(f"{MEDIA_PREFIX}{number}.{image.ext}"), image.content_type,
                         self._package, image.blob, image.filename)
        self._by_sha1[image.sha1] = part
        bisect.insort(self._numbers, number)
        return part


def index_images(prs) -> None:
    """Make `prs`'s package find and name its image parts through an index (see above)."""
    package = prs.part.package
    package.__dict__["_image_parts"] = _IndexedImageParts(package)  # python-pptx's lazyproperty
