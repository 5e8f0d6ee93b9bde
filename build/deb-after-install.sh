#!/bin/sh
# Serial printers appear as /dev/ttyUSB* or /dev/ttyS*, group dialout: the kiosk user needs it.
# (Add the user yourself: `usermod -aG dialout <kiosk-user>`; this script only explains.)
echo "Fronta Kiosk installed. Put the kiosk configuration in ~/.config/Fronta Kiosk/fronta-kiosk.json"
echo "and add the kiosk user to the dialout group for the ticket printer's serial port."
