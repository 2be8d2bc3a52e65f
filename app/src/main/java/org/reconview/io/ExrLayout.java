package org.reconview.io;

import org.reconview.UserException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The parts and channels of one OpenEXR file, as its header(s) list them, and how a channel is addressed there.
 * <p>
 * An address is {@code CHANNEL} ({@code R}; in a layered file the full name, {@code Color.R}), {@code LAYER.CHANNEL}
 * or {@code PART/CHANNEL} (a part of a multipart file by its {@code name} attribute: {@code beauty/R}). It resolves
 * by the first of these rules that matches: a channel of that exact name in some part; for {@code P/C}, channel
 * {@code C} of part {@code P}, then channel {@code P.C} of part {@code P}, then a channel {@code P.C} in any part
 * (a layer spelt with a slash); for {@code L.C}, channel {@code C} of a part named {@code L} (writers that put each
 * layer in a part of its name). A rule that matches in two parts is ambiguous and an error. A single-part file is
 * one part (named when its header has a name), so exact names resolve there exactly as before.
 */
public final class ExrLayout {
    /** One part: its name ("" when it has none), data-window size and channel names in file (sorted) order. */
    public record Part(String name, int width, int height, List<String> channels) {
        public Part {
            channels = List.copyOf(channels);
        }
    }

    /** A resolved channel: part index and channel index within that part. */
    public record Ref(int part, int channel) {
    }

    private final String file;
    private final boolean multipart;
    private final List<Part> parts;

    ExrLayout(String file, boolean multipart, List<Part> parts) {
        this.file = file;
        this.multipart = multipart;
        this.parts = List.copyOf(parts);
    }

    public boolean multipart() {
        return multipart;
    }

    public List<Part> parts() {
        return parts;
    }

    /** Every channel by the address that names it without ambiguity: {@code R} (single-part), {@code part/R}. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Part p : parts) {
            for (String c : p.channels()) {
                names.add(multipart ? p.name() + "/" + c : c);
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** The channel {@code address} names, or empty when none does; an ambiguous address is an error. */
    public Optional<Ref> find(String address) {
        Optional<Ref> r = unique(address, p -> true, address);
        if (r.isPresent()) {
            return r;
        }
        int slash = address.indexOf('/');
        if (slash >= 0) {
            String part = address.substring(0, slash);
            String channel = address.substring(slash + 1);
            Predicate<Part> named = p -> p.name().equals(part);
            for (String c : List.of(channel, part + "." + channel)) {
                r = unique(address, named, c);
                if (r.isPresent()) {
                    return r;
                }
            }
            return unique(address, p -> true, part + "." + channel);
        }
        int dot = address.lastIndexOf('.');
        if (dot > 0 && dot < address.length() - 1) {
            String layer = address.substring(0, dot);
            return unique(address, p -> p.name().equals(layer), address.substring(dot + 1));
        }
        return Optional.empty();
    }

    /** The channel {@code address} names; none is a {@code missing channel} error listing what the file has. */
    public Ref resolve(String address) {
        return find(address).orElseThrow(() -> missing(address));
    }

    /** The first of {@code candidates} present, if any. */
    public Optional<String> first(String... candidates) {
        for (String c : candidates) {
            if (find(c).isPresent()) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The size of the data holding all of {@code addresses} ({@code [width, height]}): each must resolve, and
     * channels from parts of different sizes are an error.
     */
    public int[] size(String... addresses) {
        Ref[] refs = new Ref[addresses.length];
        for (int k = 0; k < addresses.length; k++) {
            refs[k] = resolve(addresses[k]);
        }
        return size(addresses, refs);
    }

    int[] size(String[] addresses, Ref[] refs) {
        Part first = parts.get(refs[0].part());
        for (int k = 1; k < refs.length; k++) {
            Part p = parts.get(refs[k].part());
            if (p.width() != first.width() || p.height() != first.height()) {
                throw new UserException(file + ": channels '" + addresses[0] + "' (" + first.width() + "x"
                        + first.height() + ") and '" + addresses[k] + "' (" + p.width() + "x" + p.height()
                        + ") lie in parts of different sizes");
            }
        }
        return new int[] {first.width(), first.height()};
    }

    /** The error for channels not found: "file: missing channel 'X' (has R, G, B)", or 'X' or 'Y' for several. */
    public UserException missing(String... addresses) {
        String what = String.join("' or '", addresses);
        if (multipart) {
            int slash = addresses[0].indexOf('/');
            if (addresses.length == 1 && slash >= 0) {
                String part = addresses[0].substring(0, slash);
                if (parts.stream().noneMatch(p -> p.name().equals(part))) {
                    return new UserException(file + ": missing part '" + part + "' for channel '" + addresses[0]
                            + "' (has parts " + String.join(", ", parts.stream().map(Part::name).toList()) + "; "
                            + "channels " + String.join(", ", names()) + ")");
                }
            }
        }
        return new UserException(file + ": missing channel '" + what + "' (has " + String.join(", ", names()) + ")");
    }

    private Optional<Ref> unique(String address, Predicate<Part> inPart, String channel) {
        Ref found = null;
        List<String> where = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            Part part = parts.get(p);
            int c = inPart.test(part) ? part.channels().indexOf(channel) : -1;
            if (c >= 0) {
                if (found == null) {
                    found = new Ref(p, c);
                }
                where.add(part.name());
            }
        }
        if (where.size() > 1) {
            throw new UserException(file + ": channel '" + address + "' is in parts " + String.join(", ", where)
                    + " (name one: PART/" + channel + ")");
        }
        return Optional.ofNullable(found);
    }
}
