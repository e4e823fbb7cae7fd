# mk/ports.mk - the network/platform ports other than TLS (see mk/mbedtls.mk).
#
# For other fragments:
#   PORT_POSIX_LIB   $(BUILD)/libport_posix.a: TCP transport + platform
#                    (header: port/posix/lum_posix.h, include with -Iport/posix)

PORT_POSIX_SRCS := $(sort $(wildcard port/posix/*.c))
PORT_POSIX_OBJS := $(PORT_POSIX_SRCS:%.c=$(BUILD)/obj/%.o)
PORT_POSIX_LIB := $(BUILD)/libport_posix.a

$(PORT_POSIX_LIB): $(PORT_POSIX_OBJS)
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

-include $(PORT_POSIX_OBJS:.o=.d)
