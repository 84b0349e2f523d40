"""A minimal writer of OLE compound files (the container of .doc and .xls), for upload tests.

Writes version 3 files (512-byte sectors) whose streams are each stored in regular sectors
(padded to the 4096-byte mini-stream cutoff), enough for olefile and for Office's own readers to
see the streams and storages by name.
"""

import struct

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_file(streams):
    """``streams`` maps paths ("WordDocument", "Macros/VBA/dir") to bytes; storages are implied."""
    entries = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    by_path = {(): 0}
    for path, data in streams.items():
        parts = tuple(path.split("/"))
        for depth in range(1, len(parts) + 1):
            key = parts[:depth]
            if key in by_path:
                continue
            is_stream = depth == len(parts)
            entries.append(
                {
                    "name": key[-1],
                    "type": 2 if is_stream else 1,
                    "children": [],
                    "data": data.ljust(4096, b"\0") if is_stream else b"",
                }
            )
            by_path[key] = len(entries) - 1
            entries[by_path[key[:-1]]]["children"].append(by_path[key])

    directory_sectors = -(-len(entries) * 128 // SECTOR)
    data_sectors = [-(-len(entry["data"]) // SECTOR) for entry in entries]
    total = 1 + directory_sectors + sum(data_sectors)
    assert total <= SECTOR // 4, "one FAT sector is enough for test files"

    fat = [FREE] * (SECTOR // 4)
    fat[0] = FAT_SECTOR
    next_sector = 1
    for sector in range(next_sector, next_sector + directory_sectors):
        fat[sector] = sector + 1
    fat[next_sector + directory_sectors - 1] = END
    next_sector += directory_sectors
    starts = []
    for count in data_sectors:
        starts.append(next_sector if count else END)
        for sector in range(next_sector, next_sector + count):
            fat[sector] = sector + 1
        if count:
            fat[next_sector + count - 1] = END
        next_sector += count

    directory = b""
    for index, entry in enumerate(entries):
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        child = entry["children"][0] if entry["children"] else NO_STREAM
        right = _right_sibling(entries, index)
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry["type"],
            1,
            NO_STREAM,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            starts[index],
            len(entry["data"]),
        )
    directory = directory.ljust(directory_sectors * SECTOR, b"\0")

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        END,
        0,
        END,
        0,
    )
    header += struct.pack("<109I", 0, *([FREE] * 108))
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    for entry, count in zip(entries, data_sectors, strict=True):
        body += entry["data"].ljust(count * SECTOR, b"\0")
    return header + body


def _right_sibling(entries, index):
    """Siblings are chained through their right pointers (a degenerate but valid tree)."""
    for entry in entries:
        children = entry["children"]
        if index in children:
            position = children.index(index)
            return children[position + 1] if position + 1 < len(children) else NO_STREAM
    return NO_STREAM
