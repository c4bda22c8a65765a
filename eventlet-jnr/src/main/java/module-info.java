/**
 * What the JNR hubs share: the libc binding, errno-carrying checked calls and the availability
 * probe. JNR's own types ({@code Pointer}, {@code Runtime}) appear in this API, hence the
 * transitive requirement. On the module path, native access is granted to JNR's
 * {@code org.jnrproject.jffi}, which makes the calls.
 */
module io.eventlet.jnr {
    requires transitive org.jnrproject.ffi;

    // Exported without a target: JNR implements the binding interfaces in classes of its own
    // class loader (an unnamed module), which must see them.
    exports io.eventlet.jnr;
}
